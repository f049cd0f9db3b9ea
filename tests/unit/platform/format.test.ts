import fs from 'node:fs';
import path from 'node:path';
import { calendarDaysBetween, createFormatter } from '../../../src/platform/format';

const late = new Date('2026-11-29T23:30:00Z');

describe('the platform formatter', () => {
  it.each([
    ['en', '29 Nov 2026', '29 November 2026', '29 Nov 2026, 23:30 UTC'],
    ['es', '29 nov 2026', '29 de noviembre de 2026', '29 nov 2026, 23:30 UTC'],
    ['fr', '29 nov. 2026', '29 novembre 2026', '29 nov. 2026, 23:30 UTC'],
  ] as const)('when a date is written in %s, then day, month name and year come in an order no reader misreads, in UTC', (lng, date, long, dateTime) => {
    const fmt = createFormatter(lng);
    expect(fmt.date(late)).toBe(date);
    expect(fmt.longDate(late)).toBe(long);
    expect(fmt.dateTime(late)).toBe(dateTime);
    expect(fmt.date(undefined)).toBe('');
  });

  it('when another zone is asked for explicitly, then the calendar day follows it', () => {
    expect(createFormatter('en', { timeZone: 'Asia/Tokyo' }).date(late)).toBe('30 Nov 2026');
  });

  it.each([
    ['en', ['today', 'yesterday', '3 days ago']],
    ['es', ['hoy', 'ayer', 'hace 3 días']],
    ['fr', ['aujourd’hui', 'hier', 'il y a 3 jours']],
  ] as const)('when days ago are written in %s, then 0 is "today", not "0 days ago"', (lng, words) => {
    const fmt = createFormatter(lng);
    expect([0, 1, 3].map(fmt.daysAgo)).toEqual(words);
    expect(fmt.sinceDay(new Date('2026-11-29T00:10:00Z'), late)).toBe(words[0]);
  });

  it('when calendar days are counted, then they follow the zone, not 24-hour periods', () => {
    expect(calendarDaysBetween(new Date('2026-11-28T23:50:00Z'), new Date('2026-11-29T00:10:00Z'))).toBe(1);
    expect(calendarDaysBetween(new Date('2026-11-29T00:10:00Z'), late)).toBe(0);
  });

  it('when the views and sources are searched, then no date is formatted outside platform/format.ts', () => {
    const root = path.join(__dirname, '../../..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|ejs)$/.test(entry.name) && !full.endsWith(path.join('platform', 'format.ts'))) {
          const text = fs.readFileSync(full, 'utf8');
          if (/toLocaleDateString|toLocaleTimeString|toLocaleString\(|Intl\.DateTimeFormat|Intl\.RelativeTimeFormat/.test(text)) offenders.push(path.relative(root, full));
        }
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'views'));
    expect(offenders).toEqual([]);
  });
});

describe('formatters are built once', () => {
  it('when a language is asked for twice, then the same formatter serves both, and each language keeps its own forms', () => {
    const fr = createFormatter('fr');
    expect(createFormatter('es')).not.toBe(fr);
    expect(createFormatter('fr')).toBe(fr);
    expect(fr.date(new Date(Date.UTC(2026, 10, 29)))).toBe('29 nov. 2026');
    expect(createFormatter('en').date(new Date(Date.UTC(2026, 10, 29)))).toBe('29 Nov 2026');
  });
});
