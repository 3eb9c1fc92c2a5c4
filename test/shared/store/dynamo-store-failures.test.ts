import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../shared/store/dynamo-store.ts';
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
});
