import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';

/** A fresh in-memory dynalite with the table created, and a store over it. */
export async function startLocalStore(): Promise<{ db: EmbeddedDynamoDb; store: DynamoStore }> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const db = await startEmbeddedDynamoDb();
  return { db, store: new DynamoStore(db.client, db.tableName) };
}
