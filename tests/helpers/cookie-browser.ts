/**
 * A browser's cookie rules over plain fetch, for servers started as real processes or on real ports.
 * supertest's agent keys cookies by the URL it calls, so it cannot show what matters here: a
 * browser keeps one jar per host whatever the port (two app instances behind one address share it),
 * and sends a `Secure` cookie back only when the page it shows is https — which, behind a TLS proxy,
 * is not the scheme the app itself is called with.
 */
export type BrowserResponse = { status: number; headers: Headers; text: string; setCookies: string[] };

type StoredCookie = { value: string; attributes: string[] };

export class CookieBrowser {
  private readonly jar = new Map<string, StoredCookie>();

  /**
   * `https`: the address bar says https (a proxy ended TLS), so Secure cookies are sent back; the
   * proxy's headers (`X-Forwarded-Proto: https`) go in `headers`.
   */
  constructor(private readonly options: { https?: boolean; headers?: Record<string, string> } = {}) {}

  get(url: string): Promise<BrowserResponse> {
    return this.request('GET', url);
  }

  postForm(url: string, form: Record<string, string>): Promise<BrowserResponse> {
    return this.request('POST', url, new URLSearchParams(form).toString());
  }

  /** The stored cookie's attributes as the server set them (`Secure`, `HttpOnly`, `Path=/`, …). */
  cookie(name: string): StoredCookie | undefined {
    return this.jar.get(name);
  }

  private async request(method: string, url: string, body?: string): Promise<BrowserResponse> {
    const headers: Record<string, string> = { ...this.options.headers };
    const cookies = [...this.jar]
      .filter(([, c]) => this.options.https || !c.attributes.some((a) => a.toLowerCase() === 'secure'))
      .map(([name, c]) => `${name}=${c.value}`);
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) this.store(line);
    return { status: res.status, headers: res.headers, text: await res.text(), setCookies };
  }

  private store(line: string) {
    const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const expires = attributes.find((a) => /^expires=/i.test(a));
    const maxAge = attributes.find((a) => /^max-age=/i.test(a));
    const gone = (maxAge && Number(maxAge.slice(8)) <= 0) || (expires && Date.parse(expires.slice(8)) < Date.now());
    if (gone) this.jar.delete(name);
    else this.jar.set(name, { value: pair.slice(eq + 1), attributes });
  }
}
