import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AlertRecord } from '../alerts/alert-record.ts';
import type { AlertLedger } from '../alerts/alert-service.ts';
import { queryPages } from './query-pages.ts';
import { keys, TABLE_KEYS } from './table-design.ts';

const {
  partitionKey: PK,
  sortKey: SK,
  byFirstSeenPartitionKey: GSI1PK,
  byFirstSeenSortKey: GSI1SK,
} = TABLE_KEYS;
const DAY_MS = 86_400_000;

/**
 * Alert records and each storyline's alert scan, in the monitor's one table. A record is keyed by
 * the report that leads its alert and listed by decision time through the first-seen index
 * (under its own partition, so item listings never see it).
 */
export class DynamoAlertStore implements AlertLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = 30,
  ) {}

  async acquireScan(
    storylineId: string,
    holder: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ position: string | undefined } | undefined> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.alertScan }),
          UpdateExpression: 'SET #holder = :holder, #until = :until',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
          ExpressionAttributeNames: { '#holder': 'holder', '#until': 'heldUntil' },
          ExpressionAttributeValues: marshall({
            ':holder': holder,
            ':until': new Date(now.getTime() + leaseMs).toISOString(),
            ':now': now.toISOString(),
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      const position = result.Attributes ? unmarshall(result.Attributes).position : undefined;
      return { position: typeof position === 'string' ? position : undefined };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async releaseScan(storylineId: string, holder: string, position: string | undefined): Promise<void> {
    await this.transition({
      TableName: this.tableName,
      Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.alertScan }),
      UpdateExpression: `${position === undefined ? '' : 'SET #position = :position '}REMOVE #holder, #until`,
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: {
        '#holder': 'holder',
        '#until': 'heldUntil',
        ...(position === undefined ? {} : { '#position': 'position' }),
      },
      ExpressionAttributeValues: marshall({
        ':holder': holder,
        ...(position === undefined ? {} : { ':position': position }),
      }),
    });
  }

  async create(record: AlertRecord): Promise<boolean> {
    const item = {
      [PK]: keys.storyline(record.storylineId),
      [SK]: keys.alert(record.itemKey),
      [GSI1PK]: keys.alertsByTime(record.storylineId),
      [GSI1SK]: keys.alertDecided(record.decidedAt, record.itemKey),
      [TABLE_KEYS.ttlAttribute]: Math.floor(
        (Date.parse(record.decidedAt) + this.retentionDays * DAY_MS) / 1000,
      ),
      ...record,
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  markSent(storylineId: string, itemKey: string, attempt: number, sentAt: Date, messageId: string) {
    return this.move(storylineId, itemKey, attempt, 'claimed', {
      set: { state: 'sent', sentAt: sentAt.toISOString(), messageId },
      remove: ['attemptAt'],
    });
  }

  markFailed(storylineId: string, itemKey: string, attempt: number, failedAt: Date, error: string) {
    return this.move(storylineId, itemKey, attempt, 'claimed', {
      set: { state: 'failed', failedAt: failedAt.toISOString(), error },
      remove: ['attemptAt'],
    });
  }

  markUnknown(storylineId: string, itemKey: string, attempt: number, since: Date) {
    return this.move(storylineId, itemKey, attempt, 'claimed', {
      set: { state: 'unknown', since: since.toISOString() },
      remove: ['attemptAt'],
    });
  }

  reclaim(storylineId: string, itemKey: string, attempt: number, now: Date) {
    return this.move(storylineId, itemKey, attempt, 'failed', {
      set: { state: 'claimed', attempts: attempt + 1, attemptAt: now.toISOString() },
      remove: ['failedAt', 'error'],
    });
  }

  async listAlertsSince(storylineId: string, since: Date): Promise<AlertRecord[]> {
    const records: AlertRecord[] = [];
    const pages = queryPages(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.byFirstSeenIndex,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': GSI1PK, '#sk': GSI1SK },
      ExpressionAttributeValues: marshall({
        ':pk': keys.alertsByTime(storylineId),
        ':since': since.toISOString(),
      }),
    });
    for await (const page of pages)
      records.push(...(page.Items ?? []).map((row) => toAlertRecord(unmarshall(row))));
    return records;
  }

  /** A storyline's most recent alerts (any state), newest first. */
  async latestAlerts(storylineId: string, limit: number): Promise<AlertRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_KEYS.byFirstSeenIndex,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1PK },
        ExpressionAttributeValues: marshall({ ':pk': keys.alertsByTime(storylineId) }),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((row) => toAlertRecord(unmarshall(row)));
  }

  /** One conditional state change of a record: only from `from`, only for the same attempt. */
  private move(
    storylineId: string,
    itemKey: string,
    attempt: number,
    from: AlertRecord['state'],
    change: { set: Record<string, string | number>; remove: string[] },
  ): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state', '#attempts': 'attempts' };
    const values: Record<string, string | number> = { ':from': from, ':attempt': attempt };
    const sets = Object.entries(change.set).map(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = change.remove.map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    return this.transition({
      TableName: this.tableName,
      Key: marshall({ [PK]: keys.storyline(storylineId), [SK]: keys.alert(itemKey) }),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#state = :from AND #attempts = :attempt',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
    });
  }

  /** An update whose condition may fail: false then, rather than an error. */
  private async transition(input: UpdateItemCommandInput): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toAlertRecord(record: Record<string, unknown>): AlertRecord {
  const {
    [PK]: _pk,
    [SK]: _sk,
    [GSI1PK]: _gpk,
    [GSI1SK]: _gsk,
    [TABLE_KEYS.ttlAttribute]: _ttl,
    ...alert
  } = record;
  return alert as unknown as AlertRecord;
}
