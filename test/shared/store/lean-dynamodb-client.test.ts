import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { LeanDynamoDbClient, signRequest } from '#shared/store/lean-dynamodb-client.ts';
import { startTestServer } from '../../helpers/http-server.ts';

/** node:crypto SHA-256 (HMAC when given a secret) in the shape the SDK's signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);
}

describe('signRequest', () => {
  it.each([
    ['with a session token', 'IQoJb3JpZ2luX2VjEJr//////////token'],
    ['without a session token', undefined],
  ])('signs exactly as the AWS SDK does, %s', async (_case, sessionToken) => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      sessionToken,
    };
    const now = new Date('2025-11-12T07:08:09.000Z');
    const body = JSON.stringify({ TableName: 'news-monitor', KeyConditionExpression: '#pk = :pk' });
    const url = new URL('https://dynamodb.eu-west-1.amazonaws.com/');
    const ours = signRequest({
      method: 'POST',
      url,
      region: 'eu-west-1',
      service: 'dynamodb',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Query' },
      body,
      credentials,
      now,
    });
    const signer = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: Sha256 });
    const theirs = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: url.hostname,
        path: '/',
        headers: {
          host: url.hostname,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.Query',
        },
        body,
      },
      { signingDate: now },
    );
    expect(ours.authorization).toBe(theirs.headers.authorization);
  });
});

describe('LeanDynamoDbClient', () => {
  it('retries throttling and reports other errors under the service name', async () => {
    let calls = 0;
    const server = await startTestServer({
      '/': (_req, res) => {
        calls++;
        const body =
          calls < 3
            ? { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' }
            : { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'no table' };
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      },
    });
    const client = new LeanDynamoDbClient({
      region: 'local',
      endpoint: server.url('/'),
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 5,
    });
    const error = await client.send(new QueryCommand({ TableName: 't' })).catch((e) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'no table' });
    client.destroy();
    await server.close();
  });

  it('reads region and credentials from the Lambda environment, and nothing else', () => {
    expect(LeanDynamoDbClient.fromEnvironment({})).toBeUndefined();
    expect(
      LeanDynamoDbClient.fromEnvironment({
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
      }),
    ).toBeInstanceOf(LeanDynamoDbClient);
  });

  it('goes to AWS_ENDPOINT_URL_DYNAMODB, else AWS_ENDPOINT_URL, and signs for that host', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = await startTestServer({
      '/': (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"Items":[]}');
        });
      },
    });
    const elsewhere = await startTestServer({});
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
    const lambdaEnv = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    const clients = [
      LeanDynamoDbClient.fromEnvironment({
        ...lambdaEnv,
        AWS_ENDPOINT_URL: elsewhere.url('/'),
        AWS_ENDPOINT_URL_DYNAMODB: server.url('/'),
      }),
      LeanDynamoDbClient.fromEnvironment({ ...lambdaEnv, AWS_ENDPOINT_URL: server.url('/') }),
    ];
    for (const client of clients) {
      expect(await client?.send(new QueryCommand({ TableName: 't' }))).toEqual({ Items: [] });
      client?.destroy();
    }
    expect(received).toHaveLength(2);
    expect(elsewhere.requests).toHaveLength(0);

    const endpoint = new URL(server.url('/'));
    const signer = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: Sha256 });
    for (const { headers, body } of received) {
      expect(headers.host).toBe(endpoint.host);
      const amzDate = String(headers['x-amz-date']);
      const signingDate = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`,
      );
      const expected = await signer.sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: endpoint.hostname,
          port: Number(endpoint.port),
          path: '/',
          headers: {
            host: endpoint.host,
            'content-type': String(headers['content-type']),
            'x-amz-target': String(headers['x-amz-target']),
          },
          body,
        },
        { signingDate },
      );
      expect(headers.authorization).toBe(expected.headers.authorization);
    }
    await Promise.all([server.close(), elsewhere.close()]);
  });
});
