/**
 * The discussion's one date formatter ("29 Nov 2026, 14:05", UTC): kept here alone so it can be
 * swapped for the platform's shared formatter when there is one.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
export function formatWhen(date: Date, lng: string): string {
  let f = formats.get(lng);
  if (!f) {
    f = new Intl.DateTimeFormat(lng, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
    formats.set(lng, f);
  }
  return f.format(date);
}
