import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { createDigestHandler } from '../../functions/digest-handler.ts';
import { createPollHandler } from '../../functions/poll-handler.ts';
import { fixtureFeedRoute } from '../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';
import { startLocalStore } from '../helpers/local-store.ts';

const sns = mockClient(SNSClient);

function observability(serviceName: string) {
  const logger = new Logger({ serviceName, logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'Test', serviceName });
  return {
    logger,
    metrics,
    added: vi.spyOn(metrics, 'addMetric'),
    published: vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics),
    warned: vi.spyOn(logger, 'warn'),
  };
}

describe('scheduled handlers', () => {
  let server: TestServer;
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let storylines: Storyline[];

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    storylines = await loadStorylines('seeds/storylines');
    server = await startTestServer({
      '/andes.xml': await fixtureFeedRoute('test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'),
      '/down': (_req, res) => void res.writeHead(502).end(),
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });
  beforeEach(() => sns.reset());

  it('poll: runs a cycle within the invocation time, logs failed feeds and adds metrics for the middleware to publish', async () => {
    const o = observability('poll');
    const handler = createPollHandler({
      store,
      matchers: storylines.map((s) => new StorylineMatcher(s)),
      clock: () => new Date(),
      feeds: [
        { id: 'andes', url: server.url('/andes.xml') },
        { id: 'down', url: server.url('/down') },
      ],
      // The test feeds are served on 127.0.0.1.
      options: {
        concurrency: 4,
        limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: 2_000, privateAddresses: 'allow' },
      },
      deadlineMarginMs: 1_000,
      logger: o.logger,
      metrics: o.metrics,
    });

    const run = await handler({}, { getRemainingTimeInMillis: () => 60_000 });

    expect(run).toMatchObject({ feeds: 2, fetched: 1, failed: 1, stored: 2, skipped: 0 });
    expect(o.warned).toHaveBeenCalledWith('feed failed', { feedId: 'down', reason: 'HTTP 502 Bad Gateway' });
    expect(o.added).toHaveBeenCalledWith('FeedsFailedPercent', 'Percent', 50);
    expect(o.added).toHaveBeenCalledWith('ItemsStored', 'Count', 2);
    // Publishing is Powertools' middleware's job (functions/observability.ts), not the handler's.
    expect(o.published).not.toHaveBeenCalled();
  });

  it('poll: starts no feed when the invocation has no time left, and says so', async () => {
    const o = observability('poll');
    const handler = createPollHandler({
      store,
      matchers: [],
      clock: () => new Date(),
      feeds: [{ id: 'andes-late', url: server.url('/andes.xml') }],
      options: { concurrency: 4, limits: DEFAULT_FETCH_LIMITS },
      deadlineMarginMs: 15_000,
      logger: o.logger,
      metrics: o.metrics,
    });
    const run = await handler({}, { getRemainingTimeInMillis: () => 10_000 });
    expect(run).toMatchObject({ feeds: 1, fetched: 0, skipped: 1 });
    expect(o.added).toHaveBeenCalledWith('ItemsStored', 'Count', 0);
  });

  it('digest: tries every storyline, then fails the invocation if one failed, so Lambda retries', async () => {
    const o = observability('digest');
    sns.on(PublishCommand).rejects(new Error('SNS throttled'));
    const handler = createDigestHandler({
      store,
      clock: () => new Date(),
      storylines,
      sendWhenQuiet: false,
      notifier: new SnsNotifier(
        new SNSClient({ region: 'us-east-1' }),
        'arn:aws:sns:us-east-1:123456789012:t',
      ),
      logger: o.logger,
      metrics: o.metrics,
    });
    await expect(handler()).rejects.toThrow('digest failed for us-colombia-counternarcotics: SNS throttled');
    expect(o.added).toHaveBeenCalledWith('DigestsFailed', 'Count', 1);
    expect(o.published).not.toHaveBeenCalled();

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const summary = await handler();
    expect(summary.storylines).toEqual([
      { id: 'us-colombia-counternarcotics', status: 'sent', itemCount: 2 },
    ]);
  });
});
