import { describeError } from '../errors.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import { storylineFingerprint } from '../storyline/storyline-fingerprint.ts';
import type { StorylineMatcher } from '../storyline/storyline-matcher.ts';

/** Matches written at the same time while re-matching. */
const WRITE_CONCURRENCY = 16;

export interface RematchOutcome {
  /** Storylines whose new version was run over the archive. */
  storylines: string[];
  /** Items the new versions keep that were not stored before: they enter the next digest. */
  stored: number;
  /** Why re-matching failed for a storyline; it is tried again at the next run. */
  error?: string | undefined;
}

/**
 * When a storyline has changed since the archive was last matched with it (or is new), runs the
 * new version over the archive and stores what it now keeps, marked as found by the change, so
 * it enters the next digest. Only then is the new version recorded; a failure leaves it for the
 * next run.
 */
export async function rematchChangedStorylines(deps: {
  store: DynamoStore;
  matchers: readonly StorylineMatcher[];
  clock: () => Date;
}): Promise<RematchOutcome> {
  const outcome: RematchOutcome = { storylines: [], stored: 0 };
  for (const matcher of deps.matchers) {
    const { id } = matcher.storyline;
    try {
      const fingerprint = storylineFingerprint(matcher.storyline);
      if ((await deps.store.getMatchedVersion(id))?.fingerprint === fingerprint) continue;
      const now = deps.clock();
      const since = new Date(now.getTime() - deps.store.archiveDays * 86_400_000);
      const items = await deps.store.listArchivedItems(since, now);
      const kept = items.flatMap((item) => {
        const result = matcher.match(item);
        return result.relevant ? [{ item, result }] : [];
      });
      let next = 0;
      const writer = async () => {
        for (let i = next++; i < kept.length; i = next++) {
          const { item, result } = kept[i] as (typeof kept)[number];
          const saved = await deps.store.saveMatch(
            {
              storylineId: id,
              itemKey: item.itemKey,
              id: item.itemKey,
              canonicalUrl: undefined,
              title: item.title,
              url: item.url,
              summary: item.summary,
              publishedAt: item.publishedAt,
              lang: item.lang,
              feedId: item.feedId,
              source: item.source,
              score: result.score,
              actors: result.actors,
              themes: result.themes,
              why: result.why,
              foundBy: 'storyline-change',
            },
            now,
          );
          if (saved === 'stored') outcome.stored++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, kept.length) }, writer));
      await deps.store.saveMatchedVersion({ storylineId: id, fingerprint, matchedAt: now.toISOString() });
      outcome.storylines.push(id);
    } catch (error) {
      outcome.error = `re-matching the archive for ${id} failed: ${describeError(error)}`;
    }
  }
  return outcome;
}
