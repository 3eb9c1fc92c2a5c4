import { randomUUID } from 'node:crypto';
import type { AlertLedger } from '../alerts/alert-service.ts';
import { digestAlertNotes } from '../alerts/digest-alert-notes.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { Storyline } from '../storyline/storyline-schema.ts';
import { clusterItems, rankEntries } from './cluster-items.ts';
import type { DigestNotifier } from './digest-notifier.ts';
import { type RenderedDigest, renderDigest, toSubject } from './render-digest.ts';

export interface DigestDependencies {
  store: DynamoStore;
  clock: () => Date;
  /** The storylines' alert records, so the digest says what went out as alerts and what was capped. */
  alerts?: Pick<AlertLedger, 'listAlertsSince'> | undefined;
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
  /** Nothing new; a note was sent only when `sendWhenQuiet` asked for one. */
  | { status: 'quiet'; digest: PreparedDigest; messageId: string | undefined }
  /** Another run holds or has sent this window: nothing sent twice. */
  | { status: 'already-sent'; digest: PreparedDigest };

export interface SendOptions {
  /** Send a short "nothing new" message for a quiet window instead of nothing. */
  sendWhenQuiet?: boolean;
  /** How long a run may hold a window while it publishes. */
  claimLeaseMs?: number;
}

/** Everything first seen since the storyline's cursor, whatever date the feeds claim. */
export async function prepareDigest(storyline: Storyline, deps: DigestDependencies): Promise<PreparedDigest> {
  const now = deps.clock();
  const cursor = await deps.store.getDigestCursor(storyline.id);
  const items = await deps.store.listItemsSeenBetween(storyline.id, cursor?.position, now);
  // An alert is decided after its report was first seen: the window's alerts start with its first item.
  const first = items[0];
  const notes =
    deps.alerts && first && storyline.alerts
      ? digestAlertNotes(
          storyline,
          await deps.alerts.listAlertsSince(storyline.id, new Date(first.firstSeenAt)),
        )
      : undefined;
  const rendered = renderDigest(storyline, rankEntries(clusterItems(items)), now, notes);
  return { ...rendered, storylineId: storyline.id, from: cursor?.position, to: items.at(-1)?.position };
}

/**
 * Sends what is new and only then advances the cursor. A failed publish throws and leaves the
 * cursor, so the next run sends the same items again (with any newer ones).
 */
export async function sendDigest(
  storyline: Storyline,
  deps: DigestDependencies & { notifier: DigestNotifier },
  options: SendOptions = {},
): Promise<DigestOutcome> {
  const digest = await prepareDigest(storyline, deps);
  if (digest.to === undefined) {
    if (!options.sendWhenQuiet) return { status: 'quiet', digest, messageId: undefined };
    const { messageId } = await deps.notifier.publish({
      storylineId: storyline.id,
      subject: toSubject(`${storyline.title}: no new items`),
      text: `${storyline.title}\n\nNothing new was found since the last digest.`,
      itemCount: 0,
    });
    return { status: 'quiet', digest, messageId };
  }
  const claimId = randomUUID();
  const claimed = await deps.store.claimDigestWindow(
    storyline.id,
    digest.from,
    claimId,
    deps.clock(),
    options.claimLeaseMs ?? 10 * 60_000,
  );
  if (!claimed) return { status: 'already-sent', digest };
  let messageId: string;
  try {
    ({ messageId } = await deps.notifier.publish({
      storylineId: storyline.id,
      subject: digest.subject,
      text: digest.text,
      itemCount: digest.itemCount,
    }));
  } catch (error) {
    await deps.store.releaseDigestClaim(storyline.id, claimId).catch(() => undefined);
    throw error;
  }
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
