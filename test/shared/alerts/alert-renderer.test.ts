import { describe, expect, it } from 'vitest';
import { renderAlert } from '#shared/alerts/alert-renderer.ts';
import type { StoredItem } from '#shared/store/records.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';

const storyline = storylineSchema.parse({
  id: 'story',
  title: 'Colombia y EE. UU.',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  alerts: { minScore: 6 },
});
const rule = { minScore: 6, maxPerHour: 3, windowHours: 36 };

const item = (over: Partial<StoredItem> = {}): StoredItem => ({
  storylineId: 'story',
  itemKey: 'k1',
  title: 'Petro suspende el intercambio de inteligencia con Estados Unidos',
  url: 'https://diario.example/1',
  summary: '',
  publishedAt: '2025-11-11T13:20:00.000Z',
  firstSeenAt: '2025-11-11T13:25:00.000Z',
  lang: 'es',
  feeds: ['diario'],
  sources: ['Diario Caribe'],
  score: 9.5,
  actors: ['petro'],
  themes: [],
  why: 'Gustavo Petro +2.1',
  ...over,
});

describe('renderAlert', () => {
  it('writes an ASCII subject with the headline and a plain body with outlets, link and why', () => {
    const message = renderAlert(storyline, rule, {
      lead: item(),
      others: [
        item({ itemKey: 'k2', title: 'Petro halts intelligence sharing', sources: ['Wire'], url: undefined }),
      ],
      sources: ['Diario Caribe', 'Wire'],
    });
    expect(message.subject).toBe('Alert: Petro suspende el intercambio de inteligencia con Estados Unidos');
    expect(message.text).toBe(
      [
        'ALERT - Colombia y EE. UU.',
        '',
        'Petro suspende el intercambio de inteligencia con Estados Unidos',
        '   Diario Caribe; also reported by Wire | 2025-11-11 13:20 UTC',
        '   https://diario.example/1',
        '   Why: Gustavo Petro +2.1 (score 9.5)',
        '   Also: Petro halts intelligence sharing (Wire)',
        '',
        'Sent as it happened: its score passed the alert bar of 6. Later reports of this',
        'development go to the next digest; at most 3 alerts an hour for this storyline.',
      ].join('\n'),
    );
    expect(message.itemCount).toBe(2);
  });

  it('keeps a long non-ASCII headline to 99 ASCII characters and the body within SNS limits', () => {
    const title = `Pétro ${'sanções e inteligência '.repeat(20000)}`;
    const others = Array.from({ length: 30 }, (_, i) => item({ itemKey: `o${i}`, title: `Report ${i}` }));
    const message = renderAlert(storyline, rule, {
      lead: item({ title }),
      others,
      sources: ['Diario Caribe'],
    });
    expect(message.subject).toMatch(/^Alert: Petro sancoes e inteligencia [\x20-\x7e]+\.\.\.$/);
    expect(message.subject.length).toBeLessThanOrEqual(99);
    expect(Buffer.byteLength(message.text)).toBeLessThanOrEqual(256 * 1024);
    expect(message.text).toMatch(/\.\.\. \(cut to fit\)$/);
    expect(message.itemCount).toBe(31);
  });

  it('lists ten other reports and counts the rest', () => {
    const others = Array.from({ length: 12 }, (_, i) => item({ itemKey: `o${i}`, title: `Report ${i}` }));
    const { text } = renderAlert(storyline, rule, { lead: item(), others, sources: ['Diario Caribe'] });
    expect(text.match(/ {3}Also: /g)).toHaveLength(10);
    expect(text).toContain('   ... and 2 more reports');
  });
});
