import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { createAlertStep } from '#shared/alerts/alert-service.ts';
import { readPollConfig } from '#shared/config.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { ConfigError } from '#shared/errors.ts';
import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { createObservability, instrumentHandler } from './observability.ts';
import { createPollHandler } from './poll-handler.ts';

const config = readPollConfig(process.env);
const observability = createObservability('poll');
const dynamo = new DynamoDBClient({ maxAttempts: 5 });
const store = new DynamoStore(dynamo, config.TABLE_NAME, {
  itemDays: config.ITEM_RETENTION_DAYS,
  runDays: 30,
  archiveDays: config.ARCHIVE_RETENTION_DAYS,
});
const [storylines, feeds] = await Promise.all([
  loadStorylines(join(config.SEEDS_DIR, 'storylines')),
  loadFeedList(join(config.SEEDS_DIR, 'feeds.json')),
]);

const alerting = storylines.filter((s) => s.alerts).map((s) => s.id);
if (alerting.length > 0 && !config.TOPIC_ARN) {
  throw new ConfigError(`setting TOPIC_ARN is missing; storyline ${alerting[0]} sends alerts through it`);
}
const sendAlerts = config.TOPIC_ARN
  ? createAlertStep(storylines, {
      items: store,
      ledger: new DynamoAlertStore(dynamo, config.TABLE_NAME),
      notifier: new SnsNotifier(new SNSClient({}), config.TOPIC_ARN),
      clock: () => new Date(),
    })
  : undefined;

export const handler = instrumentHandler(
  createPollHandler({
    store,
    matchers: storylines.map((s) => new StorylineMatcher(s)),
    feeds,
    clock: () => new Date(),
    sendAlerts,
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
