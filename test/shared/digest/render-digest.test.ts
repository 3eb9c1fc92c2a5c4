import { describe, expect, it } from 'vitest';
import { clusterItems, rankEntries } from '../../../shared/digest/cluster-items.ts';
import { MAX_MESSAGE_BYTES, renderDigest, toSubject } from '../../../shared/digest/render-digest.ts';
import type { StoredItem } from '../../../shared/store/records.ts';
import { storylineSchema } from '../../../shared/storyline/storyline-schema.ts';

const storyline = storylineSchema.parse({
  id: 's',
  title: 'US-Colombia',
  description: 'test',
  actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  themes: [{ id: 'intel', label: 'Intelligence sharing', phrases: { en: ['intelligence'] } }],
  rule: { threshold: 1, combinations: [{ groups: ['co'] }] },
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
  it('says why each entry is there, by name', () => {
    const digest = renderDigest(storyline, clusterItems([item(1)]), new Date('2025-11-12T07:00:00Z'));
    expect(digest.text).toContain('Why: Gustavo Petro, Intelligence sharing (score 5)');
    expect(digest.text).toContain('https://news.example/1');
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
  it('lists the same headline from several outlets once, with every source', () => {
    const entries = clusterItems([
      item(1, { title: 'Petro suspends intelligence sharing', sources: ['Outlet A'], score: 4 }),
      item(2, { title: 'PETRO SUSPENDS INTELLIGENCE-SHARING', sources: ['Outlet B'], score: 6 }),
      item(3, { title: 'Something else about Petro', sources: ['Outlet C'] }),
    ]);
    expect(entries).toHaveLength(2);
    const merged = entries.find((e) => e.others.length === 1);
    expect(merged?.lead.sources).toEqual(['Outlet B']);
    expect(merged?.sources.sort()).toEqual(['Outlet A', 'Outlet B']);
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
