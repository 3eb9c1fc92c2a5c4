import { describeError } from '../errors.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { ArchivedItem } from '../store/records.ts';
import { itemKeyFor } from '../store/table-design.ts';
import type { FeedItem } from './normalise-item.ts';

/** Items held before a write starts in the background; a run's items rarely reach it. */
const WRITE_EVERY = 2_000;

export interface ArchiveOutcome {
  /** Items written to the archive in this run. */
  archived: number;
  /** Why archiving failed, when it did; the run itself goes on. */
  error?: string | undefined;
}

/**
 * The poll cycle's archive step: every item a feed carried that it did not carry at its last
 * fetch is kept, once per run whichever feeds carry it, and written in a few batched records.
 * A failure to archive is recorded on the run, never lost matches or feed states.
 */
export class ItemArchiveStep {
  private readonly seen = new Set<string>();
  private pending: ArchivedItem[] = [];
  private readonly writes: Array<Promise<void>> = [];
  private archived = 0;
  private error: string | undefined;

  constructor(
    private readonly store: DynamoStore,
    private readonly clock: () => Date,
  ) {}

  add(feedId: string, items: readonly FeedItem[]): void {
    const firstSeenAt = this.clock().toISOString();
    for (const item of items) {
      const itemKey = itemKeyFor(item);
      if (this.seen.has(itemKey)) continue;
      this.seen.add(itemKey);
      this.pending.push({
        itemKey,
        title: item.title,
        summary: item.summary,
        url: item.canonicalUrl ?? item.url,
        feedId,
        source: item.source,
        lang: item.lang,
        publishedAt: item.publishedAt,
        firstSeenAt,
      });
    }
    if (this.pending.length >= WRITE_EVERY) this.write();
  }

  /** Writes what is left and waits for every write. */
  async finish(): Promise<ArchiveOutcome> {
    this.write();
    await Promise.all(this.writes);
    return { archived: this.archived, error: this.error };
  }

  private write(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.writes.push(
      this.store.archiveItems(items, this.clock()).then(
        () => {
          this.archived += items.length;
        },
        (error: unknown) => {
          this.error = `archiving ${items.length} items failed: ${describeError(error)}`;
        },
      ),
    );
  }
}
