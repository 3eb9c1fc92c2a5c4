import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStep } from '#shared/alerts/alert-service.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { parseFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { type FeedFileServer, serveFeedFiles } from '../../../bin/demo-feed-server.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:digest';

describe('alerts from a poll cycle', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let feedServer: FeedFileServer;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    feedServer = await serveFeedFiles('seeds/demo');
  });
  afterAll(async () => {
    await feedServer.close();
    await db.close();
  });

  it('publishes one alert for the suspension of intelligence sharing, reported in English and Spanish by three feeds', async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const storylines = await loadStorylines('seeds/storylines');
    const feeds = parseFeedList(JSON.stringify(feedServer.feeds), 'seeds/demo');
    const clock = () => new Date('2025-11-11T19:00:00Z');
    const sendAlerts = createAlertStep(storylines, {
      items: store,
      ledger: new DynamoAlertStore(db.client, db.tableName),
      notifier: new SnsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC),
      clock,
    });
    const deps = { store, matchers: storylines.map((s) => new StorylineMatcher(s)), clock, sendAlerts };
    const options = {
      concurrency: 4,
      limits: { ...DEFAULT_FETCH_LIMITS, privateAddresses: 'allow' as const },
    };

    const first = await runPollCycle(feeds, deps, options);

    expect(first.run.alerts).toEqual({ sent: 1, failed: 0, capped: 0, unknown: 0 });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'alert' });
    expect(calls[0]?.MessageAttributes?.storyline).toEqual({
      DataType: 'String',
      StringValue: 'us-colombia-counternarcotics',
    });
    expect(calls[0]?.Subject).toMatch(/^Alert: Petro .*intelligence sharing/);
    expect(calls[0]?.Message).toContain('Petro suspende el intercambio de inteligencia con Estados Unidos');
    expect(calls[0]?.Message).toMatch(/Demo Wire \(sample\)/);
    expect(calls[0]?.Message).toMatch(/Example Times/);

    const second = await runPollCycle(feeds, deps, options);

    expect(second.run.alerts).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect((await store.latestRun())?.alerts).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });
  });
});
