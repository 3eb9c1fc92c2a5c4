import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { configuredEndpoint } from '../configured-endpoint.ts';

/** Credentials as Lambda provides them in the environment. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface LeanClientOptions {
  region: string;
  credentials: AwsCredentials;
  /** Another endpoint than AWS's, such as DynamoDB Local or LocalStack: http(s)://host:port */
  endpoint?: string | undefined;
  maxAttempts?: number;
}

type Operation = 'Query' | 'GetItem' | 'PutItem' | 'UpdateItem' | 'BatchWriteItem';

// The command classes the store uses, mapped to the API operation they call.
const OPERATIONS = new Map<unknown, Operation>([
  [QueryCommand, 'Query'],
  [GetItemCommand, 'GetItem'],
  [PutItemCommand, 'PutItem'],
  [UpdateItemCommand, 'UpdateItem'],
  [BatchWriteItemCommand, 'BatchWriteItem'],
]);

const RETRYABLE = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

/**
 * A small DynamoDB client for the status function: the AWS SDK's DynamoDBClient alone bundles to
 * about 330 KB (its default credential chain and protocol stack), which would double the
 * function's cold start. This one signs requests with Signature Version 4 over node:https, takes
 * the same command objects as the SDK (so DynamoStore works with either), retries throttling, and
 * throws the SDK's own exception classes where the store tells them apart.
 */
export class LeanDynamoDbClient {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly url: URL;

  constructor(private readonly options: LeanClientOptions) {
    this.url = new URL(options.endpoint ?? `https://dynamodb.${options.region}.amazonaws.com/`);
  }

  /**
   * Reads region and credentials from the Lambda environment, and the endpoint settings the SDK
   * honours (AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL); undefined if region or
   * credentials are absent.
   */
  static fromEnvironment(env: Readonly<Record<string, string | undefined>>): LeanDynamoDbClient | undefined {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!region || !accessKeyId || !secretAccessKey) return undefined;
    return new LeanDynamoDbClient({
      region,
      credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
      endpoint: configuredEndpoint(env, 'DynamoDB')?.href,
    });
  }

  async send(command: { input: object }): Promise<Record<string, unknown>> {
    const operation = OPERATIONS.get(command.constructor);
    if (!operation) throw new Error(`LeanDynamoDbClient does not support ${command.constructor.name}`);
    const body = JSON.stringify(command.input);
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call(operation, body);
      } catch (error) {
        if (attempt >= attempts || !RETRYABLE.has((error as Error).name)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  destroy(): void {
    this.agent.destroy();
  }

  private call(operation: Operation, body: string): Promise<Record<string, unknown>> {
    const headers = signRequest({
      method: 'POST',
      url: this.url,
      region: this.options.region,
      service: 'dynamodb',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body,
      credentials: this.options.credentials,
      now: new Date(),
    });
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        this.url,
        { method: 'POST', headers, agent: this.url.protocol === 'https:' ? this.agent : undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown> = {};
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              parsed = { message: text.slice(0, 200) };
            }
            if ((res.statusCode ?? 500) < 300) resolve(parsed);
            else reject(toServiceError(res.statusCode ?? 500, parsed));
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error(`DynamoDB ${operation} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function toServiceError(status: number, body: Record<string, unknown>): Error {
  const name =
    String(body.__type ?? `HTTP${status}`)
      .split('#')
      .pop() ?? 'DynamoDBError';
  const message = String(body.message ?? body.Message ?? name);
  const metadata = { $metadata: { httpStatusCode: status } };
  if (name === 'ConditionalCheckFailedException')
    return new ConditionalCheckFailedException({ message, ...metadata });
  const error = new DynamoDBServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    ...metadata,
  });
  return error;
}

export interface SignableRequest {
  method: string;
  url: URL;
  region: string;
  service: string;
  headers: Record<string, string>;
  body: string;
  credentials: AwsCredentials;
  now: Date;
}

/** AWS Signature Version 4: the headers to send, Authorization included. */
export function signRequest(req: SignableRequest): Record<string, string> {
  const amzDate = req.now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(req.body);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v.trim()])),
    host: req.url.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  if (req.credentials.sessionToken) headers['x-amz-security-token'] = req.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method,
    req.url.pathname || '/',
    canonicalQuery(req.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${req.credentials.secretAccessKey}`, day);
  const kRegion = hmac(kDate, req.region);
  const kService = hmac(kRegion, req.service);
  const kSigning = hmac(kService, 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${req.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params.entries()]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
