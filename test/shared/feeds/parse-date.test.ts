import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '#shared/feeds/parse-date.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 11 Nov 2025 14:05:00 GMT', '2025-11-11T14:05:00.000Z'],
    ['Tue, 11 Nov 2025 14:05:00 EST', '2025-11-11T19:05:00.000Z'],
    ['Tue, 11 Nov 2025 14:05 +0100', '2025-11-11T13:05:00.000Z'],
    ['11 Nov 25 14:05:00 GMT', '2025-11-11T14:05:00.000Z'],
    ['mar, 11 nov 2025 14:05:00 -0500', '2025-11-11T19:05:00.000Z'],
    ['martes, 11 noviembre 2025 14:05:00 COT', '2025-11-11T19:05:00.000Z'],
    ['11 Sept 2025 10:00:00 +0100', '2025-09-11T09:00:00.000Z'],
    ['Tuesday, November 11th, 2025 2:05 PM', '2025-11-11T14:05:00.000Z'],
    ['2025-11-11T14:05:00Z', '2025-11-11T14:05:00.000Z'],
    ['2025-11-11T14:05:00-05:00', '2025-11-11T19:05:00.000Z'],
    ['2025-11-11T14:05:00', '2025-11-11T14:05:00.000Z'],
    ['2025-11-11', '2025-11-11T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseFeedDate(text, NOW)).toBe(iso);
  });

  it.each(['', 'yesterday', 'Wed, 01 Jan 2099 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT'])(
    'refuses %j (unparseable, far future or implausibly old), so first-seen time stands in',
    (text) => {
      expect(parseFeedDate(text, NOW)).toBeUndefined();
    },
  );
});
