import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../shared/store/table-design.ts';
import { MonitorFunction } from './monitor-function.ts';
import type { StackConfig } from './stack-config.ts';

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
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.byFirstSeenIndex,
      partitionKey: { name: TABLE_KEYS.byFirstSeenPartitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.byFirstSeenSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const topic = new Topic(this, 'DigestTopic', { displayName: 'news-monitor digest', enforceSSL: true });
    for (const { email, storylines } of config.notifyEmails) {
      topic.addSubscription(
        new EmailSubscription(email, {
          // SNS delivers to this address only the digests whose storyline attribute it lists.
          ...(storylines.length > 0
            ? { filterPolicy: { storyline: SubscriptionFilter.stringFilter({ allowlist: storylines }) } }
            : {}),
        }),
      );
    }

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
      environment: { ...common },
    });
    table.grantReadWriteData(poll);

    const digest = new MonitorFunction(this, 'DigestFunction', {
      entry: 'digest.ts',
      description: 'Sends the digest of new matches through SNS',
      timeout: Duration.minutes(2),
      environment: {
        ...common,
        TOPIC_ARN: topic.topicArn,
        DIGEST_SEND_WHEN_QUIET: String(config.digestWhenQuiet),
      },
    });
    table.grantReadWriteData(digest);
    topic.grantPublish(digest);

    const status = new MonitorFunction(this, 'StatusFunction', {
      entry: 'status.ts',
      description: 'Answers GET /status and GET /storylines/{id}/items',
      timeout: Duration.seconds(10),
      environment: { ...common },
    });
    table.grantReadData(status);

    new Schedule(this, 'PollSchedule', {
      description: 'Runs the poll function',
      schedule: ScheduleExpression.rate(Duration.minutes(config.pollRateMinutes)),
      target: new LambdaInvoke(poll, { retryAttempts: 0 }),
    });
    new Schedule(this, 'DigestSchedule', {
      description: 'Runs the digest function',
      schedule: ScheduleExpression.expression(config.digestSchedule, TimeZone.of(config.digestTimeZone)),
      target: new LambdaInvoke(digest, { retryAttempts: 2 }),
    });

    const api = new HttpApi(this, 'StatusApi', { description: 'news-monitor status' });
    const integration = new HttpLambdaIntegration('StatusIntegration', status);
    api.addRoutes({ path: '/status', methods: [HttpMethod.GET], integration });
    api.addRoutes({ path: '/storylines/{id}/items', methods: [HttpMethod.GET], integration });

    new CfnOutput(this, 'StatusUrl', {
      value: `${api.apiEndpoint}/status`,
      description: 'Open in a browser or curl it',
    });
    new CfnOutput(this, 'DigestTopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}
