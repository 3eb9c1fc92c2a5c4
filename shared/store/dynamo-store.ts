import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { UserInputError } from '../errors.ts';
import { boundArchivedItem, packBatches, unpackBatch } from './archive-batches.ts';
import { countBucket, countsFromDays, DayTally, type ItemCounts } from './item-counts.ts';
import { itemSizeBytes, MAX_ITEM_BYTES } from './item-size.ts';
import { queryPages } from './query-pages.ts';
import type { ArchivedItem, DigestCursor, FeedState, PollRun, StoredItem } from './records.ts';
import { isItemKey, itemKeyFor, keys, TABLE_KEYS } from './table-design.ts';

/** A match ready to store; the store derives its key and first-seen time. */
export interface NewMatch {
  storylineId: string;
  /** The item's key when already known (an archived item); else derived from its URL or id. */
  itemKey?: string | undefined;
  id: string;
  canonicalUrl: string | undefined;
  title: string;
  url: string | undefined;
  summary: string;
  publishedAt: string | undefined;
  lang: string | undefined;
  feedId: string;
  source: string | undefined;
  score: number;
  actors: string[];
  themes: string[];
  /** The match's explanation: its largest contributions, "Gustavo Petro +2.1, boat strikes +1.8". */
  why: string;
  foundBy?: StoredItem['foundBy'];
}

/** How long each kind of record is kept (DynamoDB TTL), in days. */
export interface Retention {
  itemDays: number;
  runDays: number;
  /** Items seen, matched or not: long enough to backtest, label and re-match. */
  archiveDays: number;
}

export const DEFAULT_RETENTION: Retention = { itemDays: 365, runDays: 30, archiveDays: 30 };

/** The storyline version the archive was last matched with. */
export interface MatchedVersion {
  storylineId: string;
  fingerprint: string;
  matchedAt: string;
}

export interface ItemPage {
  items: StoredItem[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor: string | undefined;
}

export class InvalidCursorError extends UserInputError {
  override name = 'InvalidCursorError';
}

/** DynamoDB kept refusing part of a batch (unprocessed items) after every retry. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
}

/** DynamoDB cannot hold this one match (too large, or refused as invalid); other items are unaffected. */
export class ItemRejectedError extends Error {
  override name = 'ItemRejectedError';
}

const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;
/** Archive days read at the same time. */
const ARCHIVE_READ_CONCURRENCY = 8;

const DAY_MS = 86_400_000;
const {
  partitionKey: PK,
  sortKey: SK,
  byFirstSeenPartitionKey: GSI1PK,
  byFirstSeenSortKey: GSI1SK,
} = TABLE_KEYS;

/** The only code that reads and writes the table. */
export class DynamoStore {
  private readonly retention: Retention;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    retention: Partial<Retention> = {},
  ) {
    this.retention = { ...DEFAULT_RETENTION, ...retention };
  }

  get archiveDays(): number {
    return this.retention.archiveDays;
  }

  /**
   * Stores a match once. A repeat (same canonical URL or id, from any feed) only records the
   * extra feed and source on the stored item.
   */
  async saveMatch(match: NewMatch, now: Date): Promise<'stored' | 'duplicate'> {
    const itemKey = match.itemKey ?? itemKeyFor(match);
    const firstSeenAt = now.toISOString();
    const record = {
      [PK]: keys.storyline(match.storylineId),
      [SK]: keys.item(itemKey),
      [GSI1PK]: keys.storyline(match.storylineId),
      [GSI1SK]: keys.itemFirstSeen(firstSeenAt, itemKey),
      [TABLE_KEYS.ttlAttribute]: epochSeconds(now.getTime() + this.retention.itemDays * DAY_MS),
      storylineId: match.storylineId,
      itemKey,
      itemId: match.id,
      title: match.title,
      url: match.url,
      summary: match.summary,
      publishedAt: match.publishedAt,
      firstSeenAt,
      lang: match.lang,
      feeds: new Set([match.feedId]),
      sources: match.source ? new Set([match.source]) : undefined,
      score: match.score,
      actors: match.actors,
      themes: match.themes,
      why: match.why,
      foundBy: match.foundBy,
    };
    const item = marshall(record, { removeUndefinedValues: true });
    const size = itemSizeBytes(item);
    if (size > MAX_ITEM_BYTES) {
      throw new ItemRejectedError(
        `item ${describeMatch(match)} skipped: ${size} bytes, over DynamoDB's 400 KB item limit`,
      );
    }
    let stored = false;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      stored = true;
    } catch (error) {
      if ((error as Error).name === 'ValidationException') {
        throw new ItemRejectedError(
          `item ${describeMatch(match)} skipped: DynamoDB refused it (${(error as Error).message})`,
        );
      }
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Counted apart from the put, so a failure of the counter is never taken for a refused item.
    if (stored) {
      await this.countStoredItem(match.storylineId, firstSeenAt);
      return 'stored';
    }
    const values: Record<string, unknown> = { ':feed': new Set([match.feedId]) };
    let update = 'ADD feeds :feed';
    if (match.source) {
      values[':source'] = new Set([match.source]);
      update += ', sources :source';
    }
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ [PK]: keys.storyline(match.storylineId), [SK]: keys.item(itemKey) }),
        UpdateExpression: update,
        ExpressionAttributeValues: marshall(values),
      }),
    );
    return 'duplicate';
  }

  /**
   * Adds a newly stored item to its day's and hour's counters. It follows the conditional put
   * (dynalite has no transactions), so only a put that stored something is counted; if this write
   * fails after the SDK's retries, the item is stored but one short in the counts.
   */
  private async countStoredItem(storylineId: string, firstSeenAt: string): Promise<void> {
    const { day, hourAttribute } = countBucket(firstSeenAt);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.countDay(day) }),
        UpdateExpression: 'SET #ttl = :ttl ADD #n :one, #hour :one',
        ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttlAttribute, '#n': 'n', '#hour': hourAttribute },
        ExpressionAttributeValues: marshall({ ':ttl': this.dayCounterExpiry(day), ':one': 1 }),
      }),
    );
  }

  /** A day's counter lives as long as the last item first seen that day. */
  private dayCounterExpiry(day: string): number {
    return epochSeconds(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS + this.retention.itemDays * DAY_MS);
  }

  /**
   * The counts of a storyline's items, from its counters; undefined while its items have not been
   * counted once (a table written before the counters existed; see ensureItemCounts).
   */
  async itemCounts(storylineId: string): Promise<ItemCounts | undefined> {
    const rows = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :counts)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: marshall({
        ':pk': keys.storyline(storylineId),
        ':counts': keys.countsPrefix,
      }),
    });
    const records = rows.map((row) => unmarshall(row));
    if (!records.some((r) => r[SK] === keys.countedMarker)) return undefined;
    const dayPrefix = keys.countDay('');
    return countsFromDays(
      records
        .filter((r) => String(r[SK]).startsWith(dayPrefix))
        .map((r) => ({ day: String(r[SK]).slice(dayPrefix.length), values: r })),
    );
  }

  /**
   * Counts, once, the items of each storyline whose counters are not marked complete: items
   * stored before the counters existed. Each day's counter is written whole (not added to), so
   * counting again after an interruption gives the same result. Run it before storing matches
   * (a poll run does), not while another process stores them.
   */
  async ensureItemCounts(storylineIds: readonly string[], now: Date): Promise<void> {
    for (const storylineId of storylineIds) {
      const partition = keys.storyline(storylineId);
      const marker = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall({ [PK]: partition, [SK]: keys.countedMarker }),
          ConsistentRead: true,
        }),
      );
      if (marker.Item) continue;
      const tally = new DayTally();
      const pages = queryPages(this.client, {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.byFirstSeenIndex,
        KeyConditionExpression: '#pk = :pk',
        ProjectionExpression: '#sk',
        ExpressionAttributeNames: { '#pk': GSI1PK, '#sk': GSI1SK },
        ExpressionAttributeValues: marshall({ ':pk': partition }),
      });
      for await (const page of pages)
        for (const row of page.Items ?? []) tally.add(String(unmarshall(row)[GSI1SK]));
      for (const [day, values] of tally.entries()) {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall({
              [PK]: partition,
              [SK]: keys.countDay(day),
              [TABLE_KEYS.ttlAttribute]: this.dayCounterExpiry(day),
              ...values,
            }),
          }),
        );
      }
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ [PK]: partition, [SK]: keys.countedMarker, countedAt: now.toISOString() }),
        }),
      );
    }
  }

  async listFeedStates(): Promise<FeedState[]> {
    const rows = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: marshall({ ':pk': keys.feedsPartition }),
    });
    return rows.map((row) => toFeedState(unmarshall(row)));
  }

  /** Writes feed states 25 at a time, retrying what DynamoDB leaves unprocessed. */
  async saveFeedStates(states: readonly FeedState[], pause = defaultPause): Promise<void> {
    const records = states.map((state) =>
      marshall(
        { [PK]: keys.feedsPartition, [SK]: keys.feed(state.feedId), ...state },
        { removeUndefinedValues: true },
      ),
    );
    await this.putAll(records, 'feed state', pause);
  }

  /**
   * Archives items seen (matched or not), bounded in size and packed into a few records per day,
   * kept `archiveDays`. Writing the same items again writes the same records.
   */
  async archiveItems(items: readonly ArchivedItem[], now: Date, pause = defaultPause): Promise<void> {
    const byDay = new Map<string, ArchivedItem[]>();
    for (const item of items) {
      const day = item.firstSeenAt.slice(0, 10);
      const list = byDay.get(day);
      if (list) list.push(boundArchivedItem(item));
      else byDay.set(day, [boundArchivedItem(item)]);
    }
    const expiresAt = epochSeconds(now.getTime() + this.retention.archiveDays * DAY_MS);
    const records = [...byDay].flatMap(([day, dayItems]) =>
      packBatches(dayItems).map((batch) =>
        marshall({
          [PK]: keys.archiveDay(day),
          [SK]: keys.archiveBatch(batch.firstSeenAt, batch.sequence),
          [TABLE_KEYS.ttlAttribute]: expiresAt,
          count: batch.count,
          items: batch.body,
        }),
      ),
    );
    await this.putAll(records, 'archive batch', pause);
  }

  /**
   * Items first seen from `since` up to `now`, oldest first, each once (its first sighting).
   * Expired records are left out even before DynamoDB's TTL gets round to deleting them.
   */
  async listArchivedItems(since: Date, now: Date): Promise<ArchivedItem[]> {
    const days: string[] = [];
    for (let t = Date.parse(since.toISOString().slice(0, 10)); t <= now.getTime(); t += DAY_MS) {
      days.push(new Date(t).toISOString().slice(0, 10));
    }
    const nowSeconds = epochSeconds(now.getTime());
    const sinceIso = since.toISOString();
    const batches: Array<Array<Record<string, AttributeValue>>> = new Array(days.length);
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < days.length; i = next++) {
        batches[i] = await this.queryAll({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: marshall({ ':pk': keys.archiveDay(days[i] as string) }),
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(ARCHIVE_READ_CONCURRENCY, days.length) }, reader));
    const byKey = new Map<string, ArchivedItem>();
    for (const rows of batches) {
      for (const row of rows) {
        const expires = Number(row[TABLE_KEYS.ttlAttribute]?.N ?? 0);
        const body = row.items?.B;
        if (expires <= nowSeconds || body === undefined) continue;
        for (const item of unpackBatch(body)) {
          if (item.firstSeenAt < sinceIso) continue;
          const known = byKey.get(item.itemKey);
          if (known === undefined || item.firstSeenAt < known.firstSeenAt) byKey.set(item.itemKey, item);
        }
      }
    }
    return [...byKey.values()].sort((a, b) =>
      a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : 0,
    );
  }

  async getMatchedVersion(storylineId: string): Promise<MatchedVersion | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.matchedVersion }),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { fingerprint, matchedAt } = unmarshall(result.Item);
    return { storylineId, fingerprint: String(fingerprint), matchedAt: String(matchedAt) };
  }

  async saveMatchedVersion(version: MatchedVersion): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({
          [PK]: keys.storyline(version.storylineId),
          [SK]: keys.matchedVersion,
          ...version,
        }),
      }),
    );
  }

  /** Puts records 25 at a time, retrying what DynamoDB leaves unprocessed. */
  private async putAll(
    records: ReadonlyArray<Record<string, AttributeValue>>,
    what: string,
    pause: (attempt: number) => Promise<void>,
  ): Promise<void> {
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      let requests = records.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt >= BATCH_ATTEMPTS) {
          throw new StoreWriteError(
            `${requests.length} ${what}(s) left unprocessed after ${BATCH_ATTEMPTS} attempts`,
          );
        }
        if (attempt > 0) await pause(attempt);
        const result = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async getDigestCursor(storylineId: string): Promise<DigestCursor | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.digestCursor }),
        ConsistentRead: true,
      }),
    );
    const record = result.Item ? unmarshall(result.Item) : undefined;
    // A record holding only a claim (no digest sent yet) is not a cursor.
    return record?.position === undefined ? undefined : (record as DigestCursor);
  }

  /**
   * Moves the cursor only if nobody moved it since `expected` was read, so two digest runs for the
   * same window cannot both claim it. Returns false when another run got there first.
   */
  async advanceDigestCursor(cursor: DigestCursor, expected: string | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ [PK]: keys.storyline(cursor.storylineId), [SK]: keys.digestCursor, ...cursor }),
          ConditionExpression: expected === undefined ? 'attribute_not_exists(#pos)' : '#pos = :expected',
          ExpressionAttributeNames: { '#pos': 'position' },
          ...(expected === undefined
            ? {}
            : { ExpressionAttributeValues: marshall({ ':expected': expected }) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Claims the digest window that starts at `from` for `leaseMs`, so two digest runs for the same
   * storyline cannot both publish it. Fails (false) if the cursor moved or another claim is live.
   * Advancing the cursor replaces the record and so releases the claim.
   */
  async claimDigestWindow(
    storylineId: string,
    from: string | undefined,
    claimId: string,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const position = from === undefined ? 'attribute_not_exists(#pos)' : '#pos = :from';
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.digestCursor }),
          UpdateExpression: 'SET #claim = :claim, #until = :until',
          ConditionExpression: `${position} AND (attribute_not_exists(#until) OR #until < :now)`,
          ExpressionAttributeNames: { '#pos': 'position', '#claim': 'claimId', '#until': 'claimExpiresAt' },
          ExpressionAttributeValues: marshall({
            ':claim': claimId,
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
            ':now': now.toISOString(),
            ...(from === undefined ? {} : { ':from': from }),
          }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Gives up a claim after a failed publish, so the next run need not wait for the lease. */
  async releaseDigestClaim(storylineId: string, claimId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.digestCursor }),
          UpdateExpression: 'REMOVE #claim, #until',
          ConditionExpression: '#claim = :claim',
          ExpressionAttributeNames: { '#claim': 'claimId', '#until': 'claimExpiresAt' },
          ExpressionAttributeValues: marshall({ ':claim': claimId }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Items first seen after `afterPosition` and no later than `until`, oldest first. */
  async listItemsSeenBetween(
    storylineId: string,
    afterPosition: string | undefined,
    until: Date,
  ): Promise<Array<StoredItem & { position: string }>> {
    const upper = `${until.toISOString()}#\uffff`;
    // DynamoDB refuses an empty string as a key bound, so "from the beginning" is its own condition.
    const range = afterPosition === undefined ? '#sk <= :upper' : '#sk BETWEEN :lower AND :upper';
    const values: Record<string, string> = { ':pk': keys.storyline(storylineId), ':upper': upper };
    if (afterPosition !== undefined) values[':lower'] = `${afterPosition}\u0000`;
    const rows = await this.queryAll({
      TableName: this.tableName,
      IndexName: TABLE_KEYS.byFirstSeenIndex,
      KeyConditionExpression: `#pk = :pk AND ${range}`,
      ExpressionAttributeNames: { '#pk': GSI1PK, '#sk': GSI1SK },
      ExpressionAttributeValues: marshall(values),
    });
    return rows.map((row) => {
      const record = unmarshall(row);
      return { ...toStoredItem(record), position: String(record[GSI1SK]) };
    });
  }

  /** Newest first by first-seen time, a page at a time. */
  async listRecentItems(
    storylineId: string,
    limit: number,
    cursor?: string,
    since?: Date,
  ): Promise<ItemPage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_KEYS.byFirstSeenIndex,
        KeyConditionExpression: since === undefined ? '#pk = :pk' : '#pk = :pk AND #sk >= :since',
        ExpressionAttributeNames: { '#pk': GSI1PK, ...(since === undefined ? {} : { '#sk': GSI1SK }) },
        ExpressionAttributeValues: marshall({
          ':pk': keys.storyline(storylineId),
          ...(since === undefined ? {} : { ':since': since.toISOString() }),
        }),
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, storylineId, since),
      }),
    );
    return {
      items: (result.Items ?? []).map((row) => toStoredItem(unmarshall(row))),
      cursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : undefined,
    };
  }

  /** Items of a storyline, all of them or those first seen since a time. */
  async countItems(storylineId: string, since?: Date): Promise<number> {
    const sinceCondition = since === undefined ? '' : ' AND #sk >= :since';
    let count = 0;
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.byFirstSeenIndex,
      KeyConditionExpression: `#pk = :pk${sinceCondition}`,
      ExpressionAttributeNames: { '#pk': GSI1PK, ...(since === undefined ? {} : { '#sk': GSI1SK }) },
      ExpressionAttributeValues: marshall({
        ':pk': keys.storyline(storylineId),
        ...(since === undefined ? {} : { ':since': since.toISOString() }),
      }),
      Select: 'COUNT',
    });
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }

  async saveRun(run: PollRun): Promise<void> {
    const expiresAt = epochSeconds(Date.parse(run.startedAt) + this.retention.runDays * DAY_MS);
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({
          [PK]: keys.runsPartition,
          [SK]: keys.run(run.startedAt),
          [TABLE_KEYS.ttlAttribute]: expiresAt,
          ...run,
        }),
      }),
    );
  }

  async latestRun(): Promise<PollRun | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: marshall({ ':pk': keys.runsPartition }),
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const row = result.Items?.[0];
    if (!row) return undefined;
    const { [PK]: _pk, [SK]: _sk, [TABLE_KEYS.ttlAttribute]: _ttl, ...run } = unmarshall(row);
    return run as PollRun;
  }

  private async queryAll(input: QueryCommandInput): Promise<Array<Record<string, AttributeValue>>> {
    const rows: Array<Record<string, AttributeValue>> = [];
    for await (const page of queryPages(this.client, input)) rows.push(...(page.Items ?? []));
    return rows;
  }
}

/** Exponential back-off with jitter between batch retries: about 50, 100, 200 ... ms. */
function defaultPause(attempt: number): Promise<void> {
  const ms = Math.min(2_000, 25 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toStoredItem(record: Record<string, unknown>): StoredItem {
  return {
    storylineId: String(record.storylineId),
    itemKey: String(record.itemKey),
    title: String(record.title),
    url: record.url as string | undefined,
    summary: String(record.summary ?? ''),
    publishedAt: record.publishedAt as string | undefined,
    firstSeenAt: String(record.firstSeenAt),
    lang: record.lang as string | undefined,
    feeds: [...((record.feeds as Set<string> | undefined) ?? [])].sort(),
    sources: [...((record.sources as Set<string> | undefined) ?? [])].sort(),
    score: Number(record.score ?? 0),
    actors: (record.actors as string[] | undefined) ?? [],
    themes: (record.themes as string[] | undefined) ?? [],
    why: record.why as string | undefined,
    ...(record.foundBy === 'storyline-change' ? { foundBy: 'storyline-change' as const } : {}),
  };
}

/** Names an item in a one-line message without quoting a huge field. */
function describeMatch(match: NewMatch): string {
  const name = (match.title || match.id).replace(/\s+/g, ' ');
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 79)}…` : name);
}

function toFeedState(record: Record<string, unknown>): FeedState {
  // recentItems (a list of short keys) was replaced by recentItemHashes; the old list is dropped.
  const { [PK]: _pk, [SK]: _sk, recentItems: _legacy, ...state } = record;
  return state as unknown as FeedState;
}

function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function encodeCursor(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(unmarshall(key))).toString('base64url');
}

const FOREIGN_CURSOR = 'cursor is not one this API returned for this storyline; start again without it';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Cursors are opaque to clients but checked here, field by field, against the keys this store
 * writes: a forged one of the right shape must not reach DynamoDB, which refuses a start key
 * outside the query (another partition, a time before `since`) with an error of its own.
 */
function decodeCursor(
  cursor: string,
  storylineId: string,
  since: Date | undefined,
): Record<string, AttributeValue> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned; start again without it');
  }
  const position = itemPosition(key, storylineId);
  if (position === undefined) throw new InvalidCursorError(FOREIGN_CURSOR);
  if (since !== undefined && position.firstSeenAt < since.toISOString()) {
    throw new InvalidCursorError('cursor lies before since; start again without it or with an earlier since');
  }
  return marshall(position.key);
}

/** The four key attributes of a stored item of this storyline, or undefined if `key` is anything else. */
function itemPosition(
  key: unknown,
  storylineId: string,
): { key: Record<string, string>; firstSeenAt: string } | undefined {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return undefined;
  const fields = [PK, SK, GSI1PK, GSI1SK] as const;
  const record = key as Record<string, unknown>;
  if (Object.keys(record).length !== fields.length) return undefined;
  const [pk, sk, gsiPk, gsiSk] = fields.map((f) => record[f]);
  if (typeof sk !== 'string' || typeof gsiSk !== 'string') return undefined;
  const partition = keys.storyline(storylineId);
  const itemKey = sk.slice(keys.item('').length);
  const firstSeenAt = gsiSk.slice(0, gsiSk.length - itemKey.length - 1);
  const valid =
    pk === partition &&
    gsiPk === partition &&
    isItemKey(itemKey) &&
    sk === keys.item(itemKey) &&
    gsiSk === keys.itemFirstSeen(firstSeenAt, itemKey) &&
    ISO_INSTANT.test(firstSeenAt) &&
    new Date(firstSeenAt).toISOString() === firstSeenAt;
  return valid ? { key: { [PK]: pk, [SK]: sk, [GSI1PK]: gsiPk, [GSI1SK]: gsiSk }, firstSeenAt } : undefined;
}
