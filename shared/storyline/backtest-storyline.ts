import type { ArchivedItem } from '../store/records.ts';
import type { MatchResult, StorylineMatcher } from './storyline-matcher.ts';

/** An archived item and what a storyline made of it. */
export interface JudgedItem {
  item: ArchivedItem;
  result: MatchResult;
}

/** An item whose decision differs between the tested storyline and the live one. */
export interface ChangedItem extends JudgedItem {
  change: 'gained' | 'lost';
  /** What the live storyline made of it; undefined when there is no live version. */
  live: MatchResult | undefined;
}

export interface BacktestReport {
  seen: number;
  /** Items the tested storyline keeps, best score first. */
  kept: JudgedItem[];
  /** How many the live storyline keeps; undefined when there is none to compare with. */
  liveKept: number | undefined;
  /** Kept by the tested storyline only (every kept item when there is no live one), best first. */
  gained: ChangedItem[];
  /** Kept by the live storyline only, best live score first. */
  lost: ChangedItem[];
}

/**
 * Runs a storyline over archived items and compares it with the live version: what it keeps,
 * gains and loses, each with its explanation. Without a live version everything kept is gained.
 */
export function backtestStoryline(
  tested: StorylineMatcher,
  live: StorylineMatcher | undefined,
  items: readonly ArchivedItem[],
): BacktestReport {
  const kept: JudgedItem[] = [];
  const gained: ChangedItem[] = [];
  const lost: ChangedItem[] = [];
  let liveKept = 0;
  for (const item of items) {
    const input = { title: item.title, summary: item.summary, publishedAt: item.publishedAt };
    const result = tested.match(input);
    const liveResult = live?.match(input);
    if (result.relevant) kept.push({ item, result });
    if (liveResult?.relevant) liveKept++;
    if (liveResult === undefined) {
      if (result.relevant) gained.push({ item, result, change: 'gained', live: undefined });
    } else if (result.relevant !== liveResult.relevant) {
      (result.relevant ? gained : lost).push({
        item,
        result,
        change: result.relevant ? 'gained' : 'lost',
        live: liveResult,
      });
    }
  }
  kept.sort((a, b) => b.result.score - a.result.score);
  gained.sort((a, b) => b.result.score - a.result.score);
  lost.sort((a, b) => (b.live?.score ?? 0) - (a.live?.score ?? 0));
  return { seen: items.length, kept, liveKept: live ? liveKept : undefined, gained, lost };
}
