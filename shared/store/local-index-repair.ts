import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './table-design.ts';

const {
  partitionKey: PK,
  sortKey: SK,
  byFirstSeenPartitionKey: GSI1PK,
  byFirstSeenSortKey: GSI1SK,
} = TABLE_KEYS;

/**
 * Mends what a local process killed mid-write leaves behind. dynalite writes an item's index
 * entry before the item itself, so kill -9 in between leaves an index entry without its item; the
 * next run then stores the item again under a new first-seen time, and the storyline lists it
 * twice. Each index entry is checked against the table: an entry whose item is missing gives the
 * item back (the index holds all of it), and an entry that no longer matches its item is removed.
 * Only for the embedded database: DynamoDB itself keeps its indexes consistent.
 */
export async function repairLocalIndex(client: DynamoDBClient, tableName: string): Promise<number> {
  const current = new Map<string, string>();
  const items = await scanAll(client, {
    TableName: tableName,
    ProjectionExpression: '#pk, #sk, #gsk',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#gsk': GSI1SK },
  });
  for (const row of items) {
    if (row[GSI1SK]?.S !== undefined) current.set(baseKey(row), row[GSI1SK].S);
  }
  const entries = await scanAll(client, {
    TableName: tableName,
    IndexName: TABLE_KEYS.byFirstSeenIndex,
    ProjectionExpression: '#pk, #sk, #gpk, #gsk',
    ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#gpk': GSI1PK, '#gsk': GSI1SK },
  });
  let repaired = 0;
  for (const entry of entries) {
    const position = entry[GSI1SK]?.S;
    const itemPosition = current.get(baseKey(entry));
    if (position === undefined || position === itemPosition) continue;
    const orphan = await indexedItem(client, tableName, entry);
    if (!orphan) continue;
    if (itemPosition === undefined) {
      await put(client, tableName, orphan);
      current.set(baseKey(entry), position);
    } else {
      // dynalite drops an item's old index entry when the item is rewritten: point the item at the
      // stray entry (replacing it), then back at its own.
      const item = await indexedItem(client, tableName, { ...entry, [GSI1SK]: { S: itemPosition } });
      if (!item) continue;
      await put(client, tableName, { ...item, [GSI1SK]: { S: position } });
      await put(client, tableName, item);
    }
    repaired++;
  }
  return repaired;
}

function baseKey(row: Record<string, AttributeValue>): string {
  return `${row[PK]?.S}\n${row[SK]?.S}`;
}

async function indexedItem(
  client: DynamoDBClient,
  tableName: string,
  entry: Record<string, AttributeValue>,
): Promise<Record<string, AttributeValue> | undefined> {
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: TABLE_KEYS.byFirstSeenIndex,
      KeyConditionExpression: '#gpk = :gpk AND #gsk = :gsk',
      ExpressionAttributeNames: { '#gpk': GSI1PK, '#gsk': GSI1SK },
      ExpressionAttributeValues: {
        ':gpk': entry[GSI1PK] as AttributeValue,
        ':gsk': entry[GSI1SK] as AttributeValue,
      },
    }),
  );
  return result.Items?.find((item) => baseKey(item) === baseKey(entry));
}

async function put(client: DynamoDBClient, tableName: string, item: Record<string, AttributeValue>) {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

async function scanAll(
  client: DynamoDBClient,
  input: ScanCommandInput,
): Promise<Array<Record<string, AttributeValue>>> {
  const rows: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const result = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    rows.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return rows;
}
