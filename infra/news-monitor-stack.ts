import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '#shared/store/table-design.ts';
import { MonitorAlarms } from './monitor-alarms.ts';
import { MonitorFunction } from './monitor-function.ts';
import type { StackConfig, Subscriber } from './stack-config.ts';

export interface NewsMonitorStackProps extends StackProps {
  config: StackConfig;
}

export class NewsMonitorStack extends Stack {
  constructor(scope: Construct, id: string, props: NewsMonitorStackProps) {
    super(scope, id, props);
    const { config } = props;

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      deletionProtection: config.tableRemovalPolicy === 'retain',
      removalPolicy: config.tableRemovalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.byFirstSeenIndex,
      partitionKey: { name: TABLE_KEYS.byFirstSeenPartitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.byFirstSeenSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const topic = new Topic(this, 'DigestTopic', { displayName: 'news-monitor digest', enforceSSL: true });
    for (const subscriber of config.notifyEmails) {
      const filterPolicy = subscriptionFilter(subscriber);
      topic.addSubscription(new EmailSubscription(subscriber.email, filterPolicy ? { filterPolicy } : {}));
    }

    // Scheduled invocations that fail every retry are kept here (and alarmed on), not lost.
    const failedInvocations = new Queue(this, 'FailedInvocations', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const onFailure = new SqsDestination(failedInvocations);
    Validations.of(failedInvocations).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the scheduled functions; it is alarmed on.',
    });

    const common = {
      TABLE_NAME: table.tableName,
      POLL_INTERVAL_MINUTES: String(config.pollRateMinutes),
      ITEM_RETENTION_DAYS: String(config.itemRetentionDays),
    };

    const poll = new MonitorFunction(this, 'PollFunction', {
      entry: 'poll.ts',
      description: 'Polls the feeds, matches storylines, stores new matches',
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        ...common,
        ALLOW_PRIVATE_FEED_ADDRESSES: String(config.allowPrivateFeedAddresses),
        ARCHIVE_RETENTION_DAYS: String(config.archiveRetentionDays),
        // Alerts go out from the poll run that finds them, through the digest topic.
        TOPIC_ARN: topic.topicArn,
      },
      onFailure,
    });
    // Feed states (Query, BatchWriteItem), matches and their counters (PutItem, UpdateItem,
    // GetItem, Query on the index to count a table from before the counters), poll runs (PutItem),
    // alert records (PutItem, UpdateItem, Query on the index).
    grantTableActions(poll, table, ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem']);
    topic.grantPublish(poll);

    const digest = new MonitorFunction(this, 'DigestFunction', {
      entry: 'digest.ts',
      description: 'Sends the digest of new matches through SNS',
      timeout: Duration.minutes(2),
      environment: {
        ...common,
        TOPIC_ARN: topic.topicArn,
        DIGEST_SEND_WHEN_QUIET: String(config.digestWhenQuiet),
      },
      onFailure,
    });
    // The cursor (GetItem, conditional PutItem), the claim (UpdateItem), new items (Query on the index).
    grantTableActions(digest, table, ['Query', 'GetItem', 'PutItem', 'UpdateItem']);
    topic.grantPublish(digest);

    const status = new MonitorFunction(this, 'StatusFunction', {
      entry: 'status.ts',
      description: 'Answers GET /status and GET /storylines/{id}/items',
      timeout: Duration.seconds(10),
      // A salted hash, not the password: the template holds nothing that signs anyone in.
      environment: { ...common, ...(config.statusAuth ? { STATUS_AUTH: config.statusAuth } : {}) },
    });
    // Feed states, runs and counters (Query), items (Query on the index), the digest cursor (GetItem).
    grantTableActions(status, table, ['Query', 'GetItem']);

    new Schedule(this, 'PollSchedule', {
      description: 'Runs the poll function',
      schedule: ScheduleExpression.rate(Duration.minutes(config.pollRateMinutes)),
      target: new LambdaInvoke(poll, { retryAttempts: 0, deadLetterQueue: failedInvocations }),
    });
    new Schedule(this, 'DigestSchedule', {
      description: 'Runs the digest function',
      schedule: ScheduleExpression.expression(config.digestSchedule, TimeZone.of(config.digestTimeZone)),
      target: new LambdaInvoke(digest, { retryAttempts: 2, deadLetterQueue: failedInvocations }),
    });

    // EventBridge Scheduler's targets share one role per function, created beside the schedules.
    for (const role of this.node.children.filter((c) => c.node.id.startsWith('SchedulerRoleForTarget'))) {
      for (const fn of [poll, digest]) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
          reason:
            'The scheduler role may invoke any version of its one function (function ARN and ":*"), nothing else.',
        });
      }
    }

    const api = new HttpApi(this, 'StatusApi', {
      description: 'news-monitor status',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'StatusApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'StatusApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      // A public, read-only endpoint: enough for people and scripts, not enough to run up a bill.
      throttle: { rateLimit: 10, burstLimit: 20 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
    const integration = new HttpLambdaIntegration('StatusIntegration', status);
    for (const path of ['/status', '/storylines/{id}/items']) {
      for (const route of api.addRoutes({ path, methods: [HttpMethod.GET], integration })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: config.statusAuth
            ? 'The status function itself checks HTTP Basic credentials against a salted scrypt hash (context statusAuth) on every route; read-only and throttled.'
            : "The status API is public and read-only by design: it shows the monitor's health and public news headlines, holds no secret (feed URLs without credentials or query strings), and is throttled.",
        });
      }
    }

    const alarms = new MonitorAlarms(this, 'Alarms', {
      poll,
      digest,
      status,
      failedInvocations,
      pollRateMinutes: config.pollRateMinutes,
      alarmEmail: config.alarmEmail,
    });

    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'StatusUrl', {
      value: `${api.apiEndpoint}/status`,
      description: 'Open in a browser or curl it',
    });
    new CfnOutput(this, 'DigestTopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}

type TableAction = 'Query' | 'GetItem' | 'PutItem' | 'UpdateItem' | 'BatchWriteItem';

/**
 * Exactly the table actions a function's code calls, on the table; and Query on the first-seen
 * index, named. Narrower than grantReadData/grantReadWriteData, which add Scan, DeleteItem,
 * BatchGetItem, stream reads and every index ("index/*").
 */
function grantTableActions(fn: MonitorFunction, table: Table, actions: readonly TableAction[]): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
    }),
  );
  if (actions.includes('Query')) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${TABLE_KEYS.byFirstSeenIndex}`],
      }),
    );
  }
}

/**
 * SNS delivers to an address only the messages whose attributes its policy lists: `kind` (alert or
 * digest) and `storyline`. No policy: everything.
 */
function subscriptionFilter({
  storylines,
  kinds,
}: Subscriber): Record<string, SubscriptionFilter> | undefined {
  const policy: Record<string, SubscriptionFilter> = {};
  if (kinds.length > 0) policy.kind = SubscriptionFilter.stringFilter({ allowlist: kinds });
  if (storylines.length > 0) policy.storyline = SubscriptionFilter.stringFilter({ allowlist: storylines });
  return Object.keys(policy).length > 0 ? policy : undefined;
}

/** The CloudFormation logical id cdk-nag names in a finding. */
function logicalId(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
