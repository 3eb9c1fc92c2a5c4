import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UserInputError } from '#shared/errors.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import type { ArchivedItem } from '#shared/store/records.ts';

/** There is no archive where the user pointed, or it holds nothing for the period asked. */
export class ArchiveMissingError extends UserInputError {
  override name = 'ArchiveMissingError';
}

/** Where the archive is read from: a local data directory, or the deployed table. */
export interface ArchiveLocation {
  dataDir: string;
  /** A deployed table's name; the AWS SDK finds credentials and region the standard way. */
  table?: string | undefined;
}

const FILL_HINT =
  'fill it with "news-monitor run --once" (your feeds) or "npm run demo -- --once" (the sample feeds, kept in .data/demo)';

/**
 * Reads the archived items first seen in the last `days` days, from the embedded DynamoDB in a
 * data directory (never creating one) or from a deployed table.
 */
export async function readArchive(
  location: ArchiveLocation,
  days: number,
  now: Date = new Date(),
): Promise<{ items: ArchivedItem[]; where: string }> {
  const since = new Date(now.getTime() - days * 86_400_000);
  if (location.table !== undefined) {
    const where = `table ${location.table}`;
    const store = new DynamoStore(new DynamoDBClient({ maxAttempts: 5 }), location.table);
    const items = await store.listArchivedItems(since, now).catch((error: unknown) => {
      throw explainAwsError(error, location.table as string);
    });
    return { items: requireItems(items, where, days), where };
  }
  const dataDir = resolve(location.dataDir);
  const exists = await stat(join(dataDir, 'dynamodb')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists)
    throw new ArchiveMissingError(`no archive in ${location.dataDir}: ${FILL_HINT}, or pass --data-dir`);
  const database = await startEmbeddedDynamoDb(dataDir);
  try {
    const store = new DynamoStore(database.client, database.tableName);
    const where = location.dataDir;
    return { items: requireItems(await store.listArchivedItems(since, now), where, days), where };
  } finally {
    await database.close();
  }
}

function requireItems(items: ArchivedItem[], where: string, days: number): ArchivedItem[] {
  if (items.length > 0) return items;
  throw new ArchiveMissingError(
    `the archive in ${where} holds no items first seen in the last ${days} days: ${FILL_HINT}`,
  );
}

function explainAwsError(error: unknown, table: string): Error {
  const name = (error as { name?: string }).name;
  if (name === 'ResourceNotFoundException') {
    return new ArchiveMissingError(
      `table ${table} was not found in region ${process.env.AWS_REGION ?? 'of your AWS profile'}; check --table (the TableName output of cdk deploy) and AWS_REGION`,
    );
  }
  if (name === 'CredentialsProviderError' || name === 'UnrecognizedClientException') {
    return new ArchiveMissingError(
      `no usable AWS credentials to read table ${table}; run "aws configure" or "aws sso login" first`,
    );
  }
  if (error instanceof Error && /region is missing/i.test(error.message)) {
    return new ArchiveMissingError(
      `no AWS region set to read table ${table}; set AWS_REGION (e.g. AWS_REGION=eu-west-1)`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
