import { createFormatter, type Formatter } from '../../platform/format';
import type { Language } from '../../platform/i18n';

/** "29 Nov 2026, 14:05 UTC" in the reader's language, through the platform's one formatter. */
const formatters = new Map<string, Formatter>();
export function formatWhen(date: Date, lng: string): string {
  let f = formatters.get(lng);
  if (!f) {
    f = createFormatter(lng as Language);
    formatters.set(lng, f);
  }
  return f.dateTime(date);
}
