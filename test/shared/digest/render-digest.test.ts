import { describe, expect, it } from 'vitest';
import { clusterItems, rankEntries } from '#shared/digest/cluster-items.ts';
import { MAX_MESSAGE_BYTES, renderDigest, toSubject } from '#shared/digest/render-digest.ts';
import type { StoredItem } from '#shared/store/records.ts';
import { storylineSchema } from '#shared/storyline/storyline-schema.ts';

const storyline = storylineSchema.parse({
  id: 's',
  title: 'US-Colombia',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  themes: [{ id: 'intel', label: 'Intelligence sharing', phrases: { en: ['intelligence'] } }],
});

const item = (i: number, over: Partial<StoredItem> = {}): StoredItem => ({
  storylineId: 's',
  itemKey: `k${i}`,
  title: `Petro headline number ${i} about intelligence sharing and the strikes`,
  url: `https://news.example/${i}`,
  summary: '',
  publishedAt: '2025-11-11T10:00:00.000Z',
  firstSeenAt: `2025-11-11T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
  lang: 'en',
  feeds: ['feed'],
  sources: ['Outlet'],
  score: 5,
  actors: ['petro'],
  themes: ['intel'],
  ...over,
});

describe('renderDigest', () => {
  it("says why each entry is there with the decision's largest contributions", () => {
    const explained = item(1, { why: 'Gustavo Petro +2.1, intelligence sharing +1.8, "hurricane" -3.0' });
    const digest = renderDigest(storyline, clusterItems([explained]), new Date('2025-11-12T07:00:00Z'));
    expect(digest.text).toContain(
      'Why: Gustavo Petro +2.1, intelligence sharing +1.8, "hurricane" -3.0 (score 5)',
    );
    expect(digest.text).toContain('https://news.example/1');
  });

  it('names what fired for an item stored before matches carried an explanation', () => {
    const digest = renderDigest(storyline, clusterItems([item(1)]), new Date('2025-11-12T07:00:00Z'));
    expect(digest.text).toContain('Why: Gustavo Petro, Intelligence sharing (score 5)');
  });

  it('keeps 5,000 items under 256 KB and says how many were left out', () => {
    const items = Array.from({ length: 5000 }, (_, i) => item(i));
    const digest = renderDigest(storyline, rankEntries(clusterItems(items)), new Date());
    expect(Buffer.byteLength(digest.text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const shown = digest.text.match(/^\d+\. /gm)?.length ?? 0;
    const more = Number(/\.\.\. and (\d+) more$/.exec(digest.text.trimEnd())?.[1]);
    expect(shown).toBeGreaterThan(100);
    expect(shown + more).toBe(5000);
    expect(digest.itemCount).toBe(5000);
  });
});

describe('clusterItems', () => {
  const report = (i: number, title: string, over: Partial<StoredItem>) =>
    item(i, { title, firstSeenAt: '2025-11-11T12:00:00.000Z', ...over });

  it('makes one entry, with every source, of the same development from several outlets in English and Spanish', () => {
    const concepts = { actors: ['gustavo-petro', 'united-states'], themes: ['intelligence-sharing'] };
    const entries = clusterItems([
      report(1, 'Petro suspends intelligence sharing with the US', {
        sources: ['Wire A'],
        score: 12,
        ...concepts,
      }),
      report(2, 'Colombia: Petro suspends intelligence-sharing with US agencies', {
        sources: ['Wire B'],
        score: 10,
        ...concepts,
      }),
      report(3, 'Petro suspende el intercambio de inteligencia con Estados Unidos', {
        sources: ['Diario C'],
        score: 12,
        ...concepts,
      }),
      report(4, 'Petro ordena suspender la cooperación de inteligencia con EE. UU.', {
        sources: ['Radio D'],
        score: 11,
        ...concepts,
      }),
      report(5, 'Coffee exports climb in Colombia', {
        sources: ['Wire A'],
        actors: ['colombia'],
        themes: [],
      }),
    ]);
    expect(entries).toHaveLength(2);
    const [development] = rankEntries(entries);
    expect(development?.others).toHaveLength(3);
    expect([...(development?.sources ?? [])].sort()).toEqual(['Diario C', 'Radio D', 'Wire A', 'Wire B']);
  });

  it('keeps apart reports that disagree on a number, and the same story days apart', () => {
    const concepts = { actors: ['united-states', 'theatre'], themes: ['boat-strikes'] };
    const entries = clusterItems([
      report(1, 'US strike on boat in the Caribbean kills 3', concepts),
      report(2, 'US strike on boat in the Caribbean kills 6', concepts),
      report(3, 'US strike on boat in the Caribbean kills 3', {
        ...concepts,
        firstSeenAt: '2025-11-15T12:00:00.000Z',
      }),
    ]);
    expect(entries).toHaveLength(3);
  });
});

describe('renderDigest sections', () => {
  it("groups entries under the storyline's themes and says where each was also reported", () => {
    const entries = clusterItems([
      item(1, { title: 'Petro halts intelligence sharing', sources: ['Wire A'], themes: ['intel'] }),
      item(2, { title: 'Petro halts intelligence sharing', sources: ['Wire B'], themes: ['intel'] }),
      item(3, { title: 'Petro speaks in Bogota', sources: ['Wire C'], themes: [], score: 1 }),
    ]);
    const { text } = renderDigest(storyline, rankEntries(entries), new Date('2025-11-12T07:00:00Z'));
    expect(text).toContain('== Intelligence sharing (1) ==');
    expect(text).toContain('== Other developments (1) ==');
    expect(text).toMatch(/Wire A; also reported by Wire B|Wire B; also reported by Wire A/);
    expect(text.indexOf('Intelligence sharing (1)')).toBeLessThan(text.indexOf('Other developments'));
  });
});

describe('toSubject', () => {
  it('transliterates to one ASCII line of at most 99 characters, cut on a word', () => {
    const subject = toSubject(`Petro “suspende” la cooperación — ${'muy '.repeat(40)}largo`);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject.startsWith('Petro "suspende" la cooperacion - muy')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
  });
});
