import { createHash } from 'node:crypto';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table's key formats. No code outside shared/store/ builds or reads these strings;
 * the CDK stack takes the attribute and index names from here.
 *
 *   entity          PK                    SK                        GSI1PK            GSI1SK
 *   matched item    STORY#<storyline>     ITEM#<item key>           STORY#<storyline> <firstSeenAt>#<item key>
 *   digest cursor   STORY#<storyline>     DIGEST#CURSOR
 *   items per day   STORY#<storyline>     COUNT#DAY#<yyyy-mm-dd>    (n, and h00..h23 per hour)
 *   counted marker  STORY#<storyline>     COUNT#FROM                (the counters include every item)
 *   alert           STORY#<storyline>     ALERT#ITEM#<lead key>     ALERTS#<storyline> <decidedAt>#<lead key>
 *   alert scan      STORY#<storyline>     ALERT#SCAN
 *   feed state      FEEDS                 FEED#<feed id>
 *   poll run        RUNS                  RUN#<startedAt>
 *   archive batch   ARCHIVE#<day>         BATCH#<firstSeenAt>#<n>   (items seen that day, packed; see archive-batches.ts)
 *   matched version STORY#<storyline>     MATCHED#VERSION           (the storyline version the archive was matched with)
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  byFirstSeenIndex: 'GSI1',
  byFirstSeenPartitionKey: 'GSI1PK',
  byFirstSeenSortKey: 'GSI1SK',
  ttlAttribute: 'expiresAt',
} as const;

export const keys = {
  storyline: (storylineId: string) => `STORY#${storylineId}`,
  item: (itemKey: string) => `ITEM#${itemKey}`,
  itemFirstSeen: (firstSeenAt: string, itemKey: string) => `${firstSeenAt}#${itemKey}`,
  digestCursor: 'DIGEST#CURSOR',
  countsPrefix: 'COUNT#',
  countDay: (day: string) => `COUNT#DAY#${day}`,
  countedMarker: 'COUNT#FROM',
  alert: (leadItemKey: string) => `ALERT#ITEM#${leadItemKey}`,
  alertScan: 'ALERT#SCAN',
  alertsByTime: (storylineId: string) => `ALERTS#${storylineId}`,
  alertDecided: (decidedAt: string, leadItemKey: string) => `${decidedAt}#${leadItemKey}`,
  feedsPartition: 'FEEDS',
  feed: (feedId: string) => `FEED#${feedId}`,
  runsPartition: 'RUNS',
  run: (startedAt: string) => `RUN#${startedAt}`,
  /** `day` is the UTC date (YYYY-MM-DD) the items were first seen. */
  archiveDay: (day: string) => `ARCHIVE#${day}`,
  archiveBatch: (firstSeenAt: string, sequence: string) => `BATCH#${firstSeenAt}#${sequence}`,
  matchedVersion: 'MATCHED#VERSION',
} as const;

/**
 * The identity of a story: its canonical URL when it has one, so the same article from two feeds
 * (or with different tracking parameters) is one item; else the feed's own id for it.
 */
export function itemKeyFor(item: { canonicalUrl?: string | undefined; id: string }): string {
  const identity = item.canonicalUrl ? `url:${item.canonicalUrl}` : `id:${item.id}`;
  return createHash('sha256').update(identity).digest('base64url').slice(0, 27);
}

const ITEM_KEY = /^[A-Za-z0-9_-]{27}$/;

/** Whether a string has the shape itemKeyFor gives every key. */
export function isItemKey(text: string): boolean {
  return ITEM_KEY.test(text);
}

/** The table as local mode creates it; the CDK stack declares the same keys and index. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.byFirstSeenPartitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.byFirstSeenSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE_KEYS.byFirstSeenIndex,
        KeySchema: [
          { AttributeName: TABLE_KEYS.byFirstSeenPartitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.byFirstSeenSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
