import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';

/** A fresh in-memory dynalite with the table created, and a store over it. */
export async function startLocalStore(): Promise<{ db: EmbeddedDynamoDb; store: DynamoStore }> {
  const db = await startEmbeddedDynamoDb();
  return { db, store: new DynamoStore(db.client, db.tableName) };
}
