import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readPollConfig } from '#shared/config.ts';
import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { createObservability, instrumentHandler } from './observability.ts';
import { createPollHandler } from './poll-handler.ts';

const config = readPollConfig(process.env);
const observability = createObservability('poll');
const store = new DynamoStore(new DynamoDBClient({ maxAttempts: 5 }), config.TABLE_NAME, {
  itemDays: config.ITEM_RETENTION_DAYS,
  runDays: 30,
  archiveDays: config.ARCHIVE_RETENTION_DAYS,
});
const [storylines, feeds] = await Promise.all([
  loadStorylines(join(config.SEEDS_DIR, 'storylines')),
  loadFeedList(join(config.SEEDS_DIR, 'feeds.json')),
]);

export const handler = instrumentHandler(
  createPollHandler({
    store,
    matchers: storylines.map((s) => new StorylineMatcher(s)),
    feeds,
    clock: () => new Date(),
    options: {
      concurrency: config.POLL_CONCURRENCY,
      limits: {
        ...DEFAULT_FETCH_LIMITS,
        timeoutMs: config.FEED_TIMEOUT_MS,
        maxBytes: config.FEED_MAX_BYTES,
        privateAddresses: config.ALLOW_PRIVATE_FEED_ADDRESSES,
      },
    },
    deadlineMarginMs: config.POLL_DEADLINE_MARGIN_MS,
    ...observability,
  }),
  observability,
);
