import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore, StoreWriteError } from '#shared/store/dynamo-store.ts';
import type { FeedState } from '#shared/store/records.ts';
import { sampleMatch as match } from '../../helpers/sample-match.ts';

describe('DynamoStore failure paths (mocked SDK)', () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => dynamo.reset());

  it('turns a failed condition into a duplicate and adds the source', async () => {
    dynamo
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(UpdateItemCommand).resolves({});
    const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 'table');
    expect(await store.saveMatch(match(), new Date())).toBe('duplicate');
    const update = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.UpdateExpression).toBe('ADD feeds :feed, sources :source');
  });

  it('lets other errors (throttling) reach the caller', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    dynamo.on(PutItemCommand).rejects(throttled);
    const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), 'table');
    await expect(store.saveMatch(match(), new Date())).rejects.toThrow('Rate exceeded');
  });

  const states = (n: number): FeedState[] =>
    Array.from({ length: n }, (_, i) => ({
      feedId: `f${i}`,
      url: 'https://x',
      consecutiveFailures: 0,
      itemsSeen: 0,
      itemsStored: 0,
    }));
  const noPause = () => Promise.resolve();

  it('writes feed states in batches of 25 and retries unprocessed items until none are left', async () => {
    let call = 0;
    dynamo.on(BatchWriteItemCommand).callsFake((input) => {
      call++;
      const requests = input.RequestItems.table;
      // DynamoDB leaves the last two of the first batch unprocessed, once.
      return call === 1 ? { UnprocessedItems: { table: requests.slice(-2) } } : { UnprocessedItems: {} };
    });
    const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 'table');
    await store.saveFeedStates(states(30), noPause);
    const sizes = dynamo
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.table?.length);
    expect(sizes).toEqual([25, 2, 5]);
  });

  it('gives up with a clear error when items stay unprocessed', async () => {
    dynamo.on(BatchWriteItemCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    const store = new DynamoStore(new DynamoDBClient({ region: 'us-east-1' }), 'table');
    const error = await store.saveFeedStates(states(3), noPause).catch((e) => e);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect(error.message).toBe('3 feed state(s) left unprocessed after 8 attempts');
  });
});
