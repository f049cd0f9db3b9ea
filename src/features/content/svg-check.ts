/**
 * Figures may be SVG, so their text stays text (translatable, searchable, readable by a screen
 * reader when inlined, sharp at any size). SVG can also carry script, links and external loads, so
 * only a plain drawing subset is accepted: whitelisted elements and attributes, no `on*`
 * handlers, no links or `url(…)`, no DOCTYPE, entities, CDATA, processing instructions or `<style>`.
 * Every `<` must open a well-formed whitelisted tag or a comment. Served media also carry
 * `Content-Security-Policy: default-src 'none'; sandbox`, so this is a second line of defence.
 */
const ELEMENTS = new Set([
  'svg', 'g', 'title', 'desc', 'text', 'tspan', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'path',
  'defs', 'marker',
]);
const ATTRIBUTES = new Set([
  'xmlns', 'version', 'viewBox', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'dx', 'dy',
  'd', 'points', 'transform', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap',
  'stroke-linejoin', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor',
  'dominant-baseline', 'lang', 'xml:lang', 'id', 'role', 'aria-labelledby', 'aria-hidden', 'preserveAspectRatio',
  'markerWidth', 'markerHeight', 'refX', 'refY', 'orient', 'marker-end', 'marker-start', 'letter-spacing',
]);
const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
// marker-end="url(#id)" points inside the same file; any other url( is refused
const LOCAL_URL = /^url\(#[A-Za-z][\w-]*\)$/;

/** Why an SVG file is refused (`what`: the offending element, attribute or value, in any language), or undefined. */
export function svgProblem(source: string): { message: string; what: string } | undefined {
  const why = checkSvg(source);
  if (!why) return undefined;
  return { message: why[0], what: why[1] };
}

function checkSvg(source: string): [string, string] | undefined {
  const body = source.replace(/^\uFEFF?\s*(<\?xml[^?]*\?>)?/, '').replace(/<!--[\s\S]*?-->/g, '');
  if (!/^\s*<svg[\s>]/.test(body)) return ['does not start with an <svg> element', '<svg>'];
  let rest = body;
  for (const m of body.matchAll(TAG)) {
    const [whole, , name = '', attrs = ''] = m;
    if (!ELEMENTS.has(name)) return [`uses the element <${name}>, which is not allowed in a figure`, `<${name}>`];
    for (const a of attrs.matchAll(ATTR)) {
      const attr = a[1] ?? '';
      const value = a[2] ?? a[3] ?? '';
      if (!ATTRIBUTES.has(attr)) return [`uses the attribute ${attr} on <${name}>, which is not allowed in a figure`, attr];
      if (/url\(/i.test(value) && !LOCAL_URL.test(value.trim())) return [`refers to ${value} on <${name}>`, value];
    }
    rest = rest.replace(whole, '');
  }
  if (rest.includes('<')) return ['contains markup that is not a plain, well-formed SVG drawing', '<'];
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(rest)) return ['contains an entity that is not allowed', '&'];
  return undefined;
}
