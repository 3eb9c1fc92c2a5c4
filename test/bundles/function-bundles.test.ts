import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { ensureTable, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { apiEvent } from '../helpers/api-event.ts';
import { fixtureFeedRoute } from '../helpers/fixture-feeds.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';
import { type FunctionOutput, startLambdaProcess } from '../helpers/lambda-process.ts';
import { type LocalSns, startLocalSns } from '../helpers/local-sns.ts';
import { schedulerEvent } from '../helpers/scheduler-event.ts';
import {
  logicalIdOf,
  resolveVariables,
  type SynthesizedFunction,
  type SynthesizedStack,
  synthesizeStack,
} from '../helpers/synthesized-stack.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
const REGION = 'eu-west-1';
const STORYLINE = 'us-colombia-counternarcotics';
const FEED_FILES: Array<[string, string, string]> = [
  ['demo-wire-en', 'seeds/demo/demo-wire-en.xml', 'application/rss+xml; charset=utf-8'],
  ['demo-diario-es', 'seeds/demo/demo-diario-es.xml', 'application/rss+xml; charset=utf-8'],
  ['demo-noticias-pt', 'seeds/demo/demo-noticias-pt.xml', 'application/rss+xml; charset=utf-8'],
  ['demo-search', 'seeds/demo/demo-search.xml', 'application/rss+xml; charset=utf-8'],
  ['andes-wire', 'test/fixtures/feeds/andes-wire.xml', 'application/rss+xml'],
  ['caribe-hoy', 'test/fixtures/feeds/caribe-hoy.atom', 'application/atom+xml'],
];

type Json = Record<string, unknown>;

/** Every line a function wrote, parsed; a line that is not JSON fails the test. */
function jsonLines(output: FunctionOutput): Json[] {
  return [...output.stdout, ...output.stderr].map((line) => {
    try {
      return JSON.parse(line) as Json;
    } catch {
      throw new Error(`a log line is not structured JSON: ${line}`);
    }
  });
}
const isMetrics = (line: Json) => '_aws' in line;
const logLines = (lines: Json[]) => lines.filter((line) => !isMetrics(line));
const metricLines = (lines: Json[], name: string) => lines.filter((l) => isMetrics(l) && name in l);

/**
 * The bundles `cdk synth` produces, each run as Lambda runs it: a fresh Node process importing
 * the asset's handler, the environment the template sets (its references resolved to local
 * stand-ins), real SDK clients sent to dynalite and a local SNS by the standard endpoint
 * variables, and events shaped as EventBridge Scheduler and API Gateway send them.
 * The tests run in order, as the monitor does: poll, digest, then the status API.
 */
describe('the synthesized function bundles, run as Lambda runs them', () => {
  let workDir: string;
  let stack: SynthesizedStack;
  let db: EmbeddedDynamoDb;
  let feeds: TestServer;
  let sns: LocalSns;
  let tableName: string;
  let topicArn: string;
  let storedByFirstPoll = 0;
  let digestItems = 0;

  const fn = (constructId: string): SynthesizedFunction => {
    const found = stack.functions.find((f) => f.constructId === constructId);
    if (!found) throw new Error(`the template has no ${constructId}`);
    return found;
  };

  const start = (constructId: string) => {
    const f = fn(constructId);
    const environment = {
      ...resolveVariables(f.variables, {
        [logicalIdOf(stack.template, 'AWS::DynamoDB::Table', 'Table')]: tableName,
        [logicalIdOf(stack.template, 'AWS::SNS::Topic', 'DigestTopic')]: topicArn,
      }),
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'ASIALOCALTESTKEY',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
      AWS_SESSION_TOKEN: 'local-test-session',
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      // Lambda has no shared AWS config; nor may a developer's ~/.aws reach the bundles here.
      AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
      // Lambda runs these on Node.js 22; this machine may be on 20, which the SDK warns about.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    return startLambdaProcess(f, join(workDir, constructId), environment);
  };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'news-monitor-bundles-'));
    const routes = Object.fromEntries(
      await Promise.all(
        FEED_FILES.map(async ([id, file, type]) => [`/${id}`, await fixtureFeedRoute(file, type)] as const),
      ),
    );
    [stack, db, feeds] = await Promise.all([
      // The feeds are served on 127.0.0.1, which a deployed poll function refuses unless told otherwise.
      synthesizeStack(PROJECT_ROOT, join(workDir, 'cdk.out'), { allowPrivateFeedAddresses: true }),
      startEmbeddedDynamoDb(),
      startTestServer(routes),
    ]);

    // The table as the template declares it, named as CloudFormation would name it.
    const tableId = logicalIdOf(stack.template, 'AWS::DynamoDB::Table', 'Table');
    tableName = `NewsMonitor-${tableId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const table = stack.template.Resources[tableId]?.Properties as unknown as CreateTableCommandInput;
    await db.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: table.BillingMode,
        KeySchema: table.KeySchema,
        AttributeDefinitions: table.AttributeDefinitions,
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
      }),
    );
    await ensureTable(db.client, tableName);

    const topicId = logicalIdOf(stack.template, 'AWS::SNS::Topic', 'DigestTopic');
    topicArn = `arn:aws:sns:${REGION}:123456789012:NewsMonitor-${topicId}-${randomBytes(6).toString('hex')}`;
    sns = await startLocalSns([topicArn]);

    // Each function's code directory as Lambda unpacks it, its feed list pointing at local feeds.
    const feedList = FEED_FILES.map(([id]) => ({ id, url: feeds.url(`/${id}`) }));
    for (const f of stack.functions) {
      const taskRoot = join(workDir, f.constructId);
      await cp(f.assetDir, taskRoot, { recursive: true });
      await writeFile(join(taskRoot, 'seeds', 'feeds.json'), JSON.stringify(feedList));
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all([feeds?.close(), sns?.close(), db?.close()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('has three functions, each asset holding its ESM handler, source map and storylines', async () => {
    expect(stack.functions.map((f) => f.constructId).sort()).toEqual([
      'DigestFunction',
      'PollFunction',
      'StatusFunction',
    ]);
    for (const f of stack.functions) {
      expect(f.handler).toBe('index.handler');
      const files = await readdir(f.assetDir, { recursive: true });
      expect(files).toEqual(
        expect.arrayContaining(['index.mjs', 'index.mjs.map', `seeds/storylines/${STORYLINE}.json`]),
      );
    }
  });

  it('poll: a first scheduled run stores the matches, a second finds every feed unchanged (304)', async () => {
    const poll = await start('PollFunction');
    const first = await poll.invoke(schedulerEvent('PollSchedule'));
    const second = await poll.invoke(schedulerEvent('PollSchedule'));
    const lines = jsonLines(await poll.stop());

    expect(first.result).toMatchObject({ feeds: 6, fetched: 6, notModified: 0, failed: 0, skipped: 0 });
    storedByFirstPoll = (first.result as { stored: number }).stored;
    expect(storedByFirstPoll).toBeGreaterThan(10);
    expect(second.result).toMatchObject({ feeds: 6, fetched: 0, notModified: 6, failed: 0, stored: 0 });
    const revalidations = feeds.requests.slice(6);
    expect(revalidations).toHaveLength(6);
    for (const request of revalidations) expect(request.headers['if-none-match']).toBeDefined();

    // Powertools: the Lambda context on every log line, the cold start flagged and counted once.
    const logs = logLines(lines);
    expect(logs.filter((l) => l.message === 'poll run finished').map((l) => l.function_request_id)).toEqual([
      first.requestId,
      second.requestId,
    ]);
    for (const log of logs) {
      expect(log.cold_start).toBe(log.function_request_id === first.requestId);
      expect([first.requestId, second.requestId]).toContain(log.function_request_id);
      expect(log).toMatchObject({ service: 'poll', function_name: 'NewsMonitor-PollFunction' });
    }
    expect(metricLines(lines, 'ColdStart')).toHaveLength(1);
    expect(metricLines(lines, 'ItemsStored').map((m) => m.ItemsStored)).toEqual([storedByFirstPoll, 0]);
  }, 120_000);

  it('digest: the first run publishes one message to the topic, the second is quiet', async () => {
    const digest = await start('DigestFunction');
    const first = await digest.invoke(schedulerEvent('DigestSchedule'));
    const second = await digest.invoke(schedulerEvent('DigestSchedule'));
    const lines = jsonLines(await digest.stop());

    const sent = (first.result as { storylines: Array<{ id: string; status: string; itemCount: number }> })
      .storylines;
    expect(sent).toEqual([{ id: STORYLINE, status: 'sent', itemCount: expect.any(Number) }]);
    digestItems = sent[0]?.itemCount ?? 0;
    expect(digestItems).toBeGreaterThan(0);
    expect(digestItems).toBeLessThanOrEqual(storedByFirstPoll);
    expect(second.result).toEqual({ storylines: [{ id: STORYLINE, status: 'quiet', itemCount: 0 }] });

    // The poll runs may have published alerts to the same topic; the digest is the one of kind digest.
    const digests = sns.published.filter((m) => m.attributes.kind === 'digest');
    expect(digests).toHaveLength(1);
    for (const alert of sns.published.filter((m) => m.attributes.kind !== 'digest')) {
      expect(alert).toMatchObject({ topicArn, attributes: { kind: 'alert', storyline: STORYLINE } });
      expect(alert.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    }
    const [message] = digests;
    expect(message).toMatchObject({
      topicArn,
      attributes: { kind: 'digest', storyline: STORYLINE, itemCount: String(digestItems) },
    });
    expect(message?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(message?.message.length).toBeGreaterThan(100);
    expect(message?.credentialScope).toMatch(
      new RegExp(`^ASIALOCALTESTKEY/\\d{8}/${REGION}/sns/aws4_request$`),
    );

    const logs = logLines(lines);
    expect(logs.length).toBeGreaterThanOrEqual(2);
    for (const log of logs) {
      expect(log.cold_start).toBe(log.function_request_id === first.requestId);
      expect([first.requestId, second.requestId]).toContain(log.function_request_id);
    }
    expect(metricLines(lines, 'ColdStart')).toHaveLength(1);
  }, 120_000);

  it('status: answers the JSON status, the HTML page and the items route with 200', async () => {
    const status = await start('StatusFunction');
    const json = await status.invoke(apiEvent('GET', '/status', { accept: 'application/json' }));
    const html = await status.invoke(
      apiEvent('GET', '/status', { accept: 'text/html,application/xhtml+xml' }),
    );
    const items = await status.invoke(
      apiEvent('GET', `/storylines/${STORYLINE}/items`, {
        route: '/storylines/{id}/items',
        query: { limit: '5' },
      }),
    );
    const unknown = await status.invoke(
      apiEvent('GET', '/storylines/no-such-story/items', { route: '/storylines/{id}/items' }),
    );
    const lines = jsonLines(await status.stop());

    type Response = { statusCode: number; headers: Record<string, string>; body: string };
    const [jsonResponse, htmlResponse, itemsResponse, unknownResponse] = [json, html, items, unknown].map(
      (r) => r.result as Response,
    );
    expect(jsonResponse?.statusCode).toBe(200);
    expect(jsonResponse?.headers['content-type']).toMatch(/^application\/json/);
    const report = JSON.parse(jsonResponse?.body ?? '{}');
    expect(report.lastRun).toMatchObject({ feeds: 6, notModified: 6 });
    expect(report.feeds).toHaveLength(6);
    for (const feed of report.feeds) expect(feed).toMatchObject({ polled: true, consecutiveFailures: 0 });
    expect(report.storylines).toEqual([
      expect.objectContaining({
        id: STORYLINE,
        items: storedByFirstPoll,
        lastDigest: expect.objectContaining({ itemCount: digestItems }),
      }),
    ]);

    expect(htmlResponse?.statusCode).toBe(200);
    expect(htmlResponse?.headers['content-type']).toMatch(/^text\/html/);
    expect(htmlResponse?.body).toContain('<h1');

    expect(itemsResponse?.statusCode).toBe(200);
    const page = JSON.parse(itemsResponse?.body ?? '{}');
    expect(page.items).toHaveLength(5);
    expect(page.cursor).toEqual(expect.any(String));

    expect(unknownResponse?.statusCode).toBe(404);
    expect(logLines(lines).filter((l) => l.level === 'ERROR')).toEqual([]);
    expect(metricLines(lines, 'ColdStart')).toEqual([
      expect.objectContaining({ service: 'status', function_name: 'NewsMonitor-StatusFunction' }),
    ]);
  }, 120_000);
});
