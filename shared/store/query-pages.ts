import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';

/** Every page of a query, following LastEvaluatedKey until DynamoDB says there is no more. */
export async function* queryPages(
  client: Pick<DynamoDBClient, 'send'>,
  input: QueryCommandInput,
): AsyncGenerator<QueryCommandOutput> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}
