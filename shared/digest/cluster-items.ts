import type { StoredItem } from '../store/records.ts';
import { normaliseForComparison } from '../storyline/normalise-text.ts';

/** One development, as reported by one or more outlets. */
export interface DigestEntry {
  lead: StoredItem;
  /** The other reports of the same development. */
  others: StoredItem[];
  /** Every outlet that carried it, lead first. */
  sources: string[];
}

/**
 * Groups reports of the same development: same URL, or the same headline once case, accents and
 * punctuation are ignored. The highest-scoring report leads the entry.
 */
export function clusterItems(items: readonly StoredItem[]): DigestEntry[] {
  const byKey = new Map<string, StoredItem[]>();
  for (const item of items) {
    const key = `t:${normaliseForComparison(item.title)}`;
    const group = byKey.get(key);
    if (group) group.push(item);
    else byKey.set(key, [item]);
  }
  return [...byKey.values()].map((group) => {
    const [lead, ...others] = [...group].sort(
      (a, b) => b.score - a.score || a.firstSeenAt.localeCompare(b.firstSeenAt),
    );
    const sources = [...new Set(group.flatMap((i) => (i.sources.length > 0 ? i.sources : i.feeds)))];
    return { lead: lead as StoredItem, others, sources };
  });
}

/** Higher score first; among equals, the most recently seen first. */
export function rankEntries(entries: DigestEntry[]): DigestEntry[] {
  return [...entries].sort(
    (a, b) => b.lead.score - a.lead.score || b.lead.firstSeenAt.localeCompare(a.lead.firstSeenAt),
  );
}
