import type { DynamoStore } from '../store/dynamo-store.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import { clusterItems, rankEntries } from './cluster-items.ts';
import type { DigestNotifier } from './digest-notifier.ts';
import { type RenderedDigest, renderDigest } from './render-digest.ts';

export interface DigestDependencies {
  store: DynamoStore;
  clock: () => Date;
}

export interface PreparedDigest extends RenderedDigest {
  storylineId: string;
  /** Cursor position the digest was built from (undefined: from the beginning). */
  from: string | undefined;
  /** Position of the newest item it covers; the cursor moves here once sent. */
  to: string | undefined;
}

export type DigestOutcome =
  | { status: 'sent'; digest: PreparedDigest; messageId: string }
  | { status: 'quiet'; digest: PreparedDigest }
  | { status: 'already-sent'; digest: PreparedDigest };

/** Everything first seen since the storyline's cursor, whatever date the feeds claim. */
export async function prepareDigest(storyline: Storyline, deps: DigestDependencies): Promise<PreparedDigest> {
  const now = deps.clock();
  const cursor = await deps.store.getDigestCursor(storyline.id);
  const items = await deps.store.listItemsSeenBetween(storyline.id, cursor?.position, now);
  const rendered = renderDigest(storyline, rankEntries(clusterItems(items)), now);
  return { ...rendered, storylineId: storyline.id, from: cursor?.position, to: items.at(-1)?.position };
}

/**
 * Sends what is new and only then advances the cursor. A failed publish throws and leaves the
 * cursor, so the next run sends the same items again (with any newer ones).
 */
export async function sendDigest(
  storyline: Storyline,
  deps: DigestDependencies & { notifier: DigestNotifier },
): Promise<DigestOutcome> {
  const digest = await prepareDigest(storyline, deps);
  if (digest.to === undefined) return { status: 'quiet', digest };
  const { messageId } = await deps.notifier.publish({
    storylineId: storyline.id,
    subject: digest.subject,
    text: digest.text,
    itemCount: digest.itemCount,
  });
  const advanced = await deps.store.advanceDigestCursor(
    {
      storylineId: storyline.id,
      position: digest.to,
      lastSentAt: deps.clock().toISOString(),
      lastItemCount: digest.itemCount,
      lastMessageId: messageId,
    },
    digest.from,
  );
  return advanced ? { status: 'sent', digest, messageId } : { status: 'already-sent', digest };
}
