import type { Language } from './i18n';

/*
 * The one way the platform writes dates and numbers, on pages, in e-mails, CSV headers and PDFs.
 * Always in an explicit time zone (never the server's own), and in forms no reader can misread:
 * "29 Nov 2026", "29 nov 2026", "29 nov. 2026" — never 11/29/2026. "0 days ago" is "today".
 */

/** The zone every date is shown in. UTC: learners are worldwide and a certificate date must not depend on the server. */
export const PLATFORM_TIME_ZONE = 'UTC';

/** The regional forms that write day, month name and year in that order. */
const LOCALES: Record<Language, string> = { en: 'en-GB', es: 'es-ES', fr: 'fr-FR' };

export type Formatter = ReturnType<typeof buildFormatter>;

const DAY_MS = 24 * 60 * 60 * 1000;

/*
 * Building an Intl formatter costs about a tenth of a millisecond (ICU loads the locale's patterns),
 * more than the rest of a quiz submission's rendering: every page built five of them. They are
 * immutable, so one set per language and zone serves every request. The zones in use are a handful;
 * the bound only keeps a caller that passed arbitrary zones from growing the cache for ever.
 */
const MAX_CACHED = 64;
function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    value = build();
    cache.set(key, value);
  }
  return value;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Whole calendar days from `earlier` to `later`, counted in the platform's time zone. */
export function calendarDaysBetween(earlier: Date, later: Date, timeZone = PLATFORM_TIME_ZONE): number {
  const format = cached(dayFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
  const dayOf = (d: Date) => {
    const [y, m, day] = format.format(d).split('-').map(Number);
    return Date.UTC(y!, m! - 1, day!);
  };
  return Math.round((dayOf(later) - dayOf(earlier)) / DAY_MS);
}

const formatters = new Map<string, ReturnType<typeof buildFormatter>>();

/** The formatter for a language (and zone): built once, shared by every request. */
export function createFormatter(lng: Language, options: { timeZone?: string } = {}) {
  const timeZone = options.timeZone ?? PLATFORM_TIME_ZONE;
  return cached(formatters, `${lng}|${timeZone}`, () => buildFormatter(lng, timeZone));
}

function buildFormatter(lng: Language, timeZone: string) {
  const locale = LOCALES[lng] ?? LOCALES.en;
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const longDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const number = new Intl.NumberFormat(locale);
  const valid = (d: Date | undefined | null): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
  return {
    timeZone,
    /** "29 Nov 2026" · "29 nov 2026" · "29 nov. 2026"; '' for no date */
    date: (d: Date | undefined | null) => (valid(d) ? date.format(d) : ''),
    /** "29 November 2026": certificates and printed documents */
    longDate: (d: Date | undefined | null) => (valid(d) ? longDate.format(d) : ''),
    /** "29 Nov 2026, 14:05 UTC" */
    dateTime: (d: Date | undefined | null) => (valid(d) ? dateTime.format(d) : ''),
    /** "today", "yesterday", "3 days ago" (hoy, ayer, hace 3 días · aujourd’hui, hier, il y a 3 jours) */
    daysAgo: (days: number) => relative.format(-Math.max(0, Math.round(days)), 'day'),
    /** how long ago a date was, in calendar days of the platform's zone */
    sinceDay: (d: Date, now: Date) => relative.format(-Math.max(0, calendarDaysBetween(d, now, timeZone)), 'day'),
    number: (n: number) => number.format(n),
  };
}
