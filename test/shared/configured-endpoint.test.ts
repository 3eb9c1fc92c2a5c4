import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { configuredEndpoint } from '#shared/configured-endpoint.ts';
import { startTestServer, type TestServer } from '../helpers/http-server.ts';
import { type LocalSns, startLocalSns } from '../helpers/local-sns.ts';

describe('configuredEndpoint', () => {
  it('prefers the service setting, then the general one, as the SDK does', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    };
    expect(configuredEndpoint(env, 'DynamoDB')?.href).toBe('http://127.0.0.1:8000/');
    expect(configuredEndpoint(env, 'SNS')?.href).toBe('http://127.0.0.1:4566/');
    expect(configuredEndpoint({}, 'DynamoDB')).toBeUndefined();
  });

  it('names services of several words with underscores and ignores empty settings', () => {
    expect(
      configuredEndpoint({ AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://s:1' }, 'DynamoDB Streams')?.host,
    ).toBe('s:1');
    expect(configuredEndpoint({ AWS_ENDPOINT_URL_SNS: '' }, 'SNS')).toBeUndefined();
  });

  it('turns both off with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true', () => {
    const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };
    expect(configuredEndpoint(env, 'DynamoDB')).toBeUndefined();
  });

  it('names the setting that is not a usable URL', () => {
    expect(() => configuredEndpoint({ AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' }, 'DynamoDB')).toThrow(
      'setting AWS_ENDPOINT_URL_DYNAMODB must be an http or https URL, not "localhost:8000"',
    );
    expect(() => configuredEndpoint({ AWS_ENDPOINT_URL: 'not a url' }, 'SNS')).toThrow(
      'setting AWS_ENDPOINT_URL is not a URL ("not a url"); set it to http(s)://host:port',
    );
  });
});

// The poll and digest functions build their SDK clients with no endpoint: the SDK must find it.
describe("the AWS SDK's clients, built as the functions build them", () => {
  let dynamo: TestServer;
  let elsewhere: TestServer;
  let sns: LocalSns;
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:digest';

  beforeAll(async () => {
    dynamo = await startTestServer({
      '/': (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify({ TableNames: ['news-monitor'] })),
    });
    elsewhere = await startTestServer({});
    sns = await startLocalSns([topicArn]);
  });
  afterAll(async () => {
    await Promise.all([dynamo.close(), elsewhere.close(), sns.close()]);
  });
  beforeEach(() => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('DynamoDB goes to AWS_ENDPOINT_URL_DYNAMODB rather than AWS_ENDPOINT_URL', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', elsewhere.url('/'));
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.url('/'));
    const client = new DynamoDBClient({ maxAttempts: 1 });
    const result = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(result.TableNames).toEqual(['news-monitor']);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('SNS goes to AWS_ENDPOINT_URL when it has no setting of its own', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', sns.endpoint);
    const client = new SNSClient({});
    await client.send(new PublishCommand({ TopicArn: topicArn, Subject: 'hi', Message: 'hello' }));
    client.destroy();
    expect(sns.published).toEqual([expect.objectContaining({ topicArn, subject: 'hi', message: 'hello' })]);
    expect(sns.published[0]?.credentialScope).toMatch(/^local\/\d{8}\/eu-west-1\/sns\/aws4_request$/);
  });
});
