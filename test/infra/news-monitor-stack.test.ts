import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { makeStatusCredential } from '#shared/status/basic-auth.ts';
import { NewsMonitorStack } from '../../infra/news-monitor-stack.ts';
import { readStackConfig } from '../../infra/stack-config.ts';

// The template is what these tests check; the bundles are built and run by test/bundles/.
const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** SNS's rule for string allowlists: every attribute the policy names is present with a listed value. */
function accepts(
  policy: Record<string, string[]> | undefined,
  attributes: Record<string, { StringValue?: string | undefined }> | undefined,
): boolean {
  return Object.entries(policy ?? {}).every(([name, allowed]) => {
    const value = attributes?.[name]?.StringValue;
    return value !== undefined && allowed.includes(value);
  });
}

function synth(context: Record<string, unknown> = {}): Template {
  const app = new App({ context: { ...context, ...SKIP_BUNDLING } });
  const stack = new NewsMonitorStack(app, 'NewsMonitor', { config: readStackConfig(context) });
  return Template.fromStack(stack);
}

describe('NewsMonitorStack', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({
      notifyEmails:
        'ana@example.org, ben@example.org:us-colombia-counternarcotics, cy@example.org/alerts, dee@example.org/digests:us-colombia-counternarcotics',
    });
  }, 120_000);

  it('has one on-demand table with point-in-time recovery, TTL and the first-seen index', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
          }),
        ],
      }),
    });
  });

  it('runs three functions, every one arm64 on Node.js 22 with a log group that has retention', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(functions).filter(
      (f) => f.Properties.Runtime !== undefined && f.Properties.Handler === 'index.handler',
    );
    expect(ours).toHaveLength(3);
    for (const fn of ours) {
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        SEEDS_DIR: 'seeds',
      });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('polls every 15 minutes and sends the digest daily by default', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it('subscribes each notify address to the digest topic, filtered by kind and storyline as asked', () => {
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::SNS::Subscription', 4);
    expect(filterPolicies()).toEqual({
      'ana@example.org': undefined,
      'ben@example.org': { storyline: ['us-colombia-counternarcotics'] },
      'cy@example.org': { kind: ['alert'] },
      'dee@example.org': { kind: ['digest'], storyline: ['us-colombia-counternarcotics'] },
    });
  });

  it('filters on the attributes the digests and alerts carry', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const notifier = new SnsNotifier(new SNSClient({ region: 'us-east-1' }), 'arn:aws:sns:us-east-1:1:t');
    const message = { storylineId: 'us-colombia-counternarcotics', subject: 's', text: 't', itemCount: 1 };
    await notifier.publish({ ...message, kind: 'alert' });
    await notifier.publish(message);
    await notifier.publish({ ...message, storylineId: 'another-story' });
    const [alert, digest, otherDigest] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    sns.restore();

    const receives = (email: string) =>
      [alert, digest, otherDigest].map((input) => accepts(filterPolicies()[email], input?.MessageAttributes));
    expect(receives('ana@example.org')).toEqual([true, true, true]);
    expect(receives('ben@example.org')).toEqual([true, true, false]);
    expect(receives('cy@example.org')).toEqual([true, false, false]);
    expect(receives('dee@example.org')).toEqual([false, true, false]);
  });

  function logicalIdOf(type: string, prefix: string): string {
    const id = Object.keys(template.findResources(type)).find((key) => key.startsWith(prefix));
    if (!id) throw new Error(`no ${type} named ${prefix}...`);
    return id;
  }

  function filterPolicies(): Record<string, Record<string, string[]> | undefined> {
    return Object.fromEntries(
      Object.values(template.findResources('AWS::SNS::Subscription'))
        .filter((s) => s.Properties.Protocol === 'email' && s.Properties.Endpoint !== undefined)
        .filter((s) => JSON.stringify(s.Properties.TopicArn).includes('DigestTopic'))
        .map((s) => [s.Properties.Endpoint, s.Properties.FilterPolicy]),
    );
  }

  it('serves GET /status and GET /storylines/{id}/items through an HTTP API', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /status' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /storylines/{id}/items' });
  });

  it('outputs the status URL, the topic ARN and the table name', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'DigestTopicArn',
      'StatusUrl',
      'TableName',
    ]);
  });

  it('lets the digest and poll functions publish to the digest topic only, and gives the status function read-only access', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actionsOf = (role: string) =>
      policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap((p) =>
          p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
            [s.Action].flat(),
          ),
        );
    expect(actionsOf('DigestFunction')).toContain('sns:Publish');
    // The poll function publishes alerts, to the digest topic and nowhere else.
    expect(actionsOf('PollFunction')).toContain('sns:Publish');
    const publishTargets = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Action: string | string[] }) => [st.Action].flat().includes('sns:Publish'))
      .map((st: { Resource: unknown }) => JSON.stringify(st.Resource));
    expect(new Set(publishTargets)).toEqual(
      new Set([JSON.stringify({ Ref: logicalIdOf('AWS::SNS::Topic', 'DigestTopic') })]),
    );
    const status = actionsOf('StatusFunction');
    expect(status).not.toContain('sns:Publish');
    expect(status.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    for (const action of policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    )) {
      expect(action).not.toMatch(/\*/);
    }
  });

  it('gives each function exactly the actions it uses, on the table and the one index it queries', () => {
    const statementsOf = (role: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap(
          (p) =>
            p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
        );
    const actionsOf = (role: string) =>
      [...new Set(statementsOf(role).flatMap((s) => [s.Action].flat()))].sort();
    expect(actionsOf('PollFunction')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      // Alerts are published by the poll run that finds them.
      'sns:Publish',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(actionsOf('DigestFunction')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'sns:Publish',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(actionsOf('StatusFunction')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    for (const role of ['PollFunction', 'DigestFunction', 'StatusFunction']) {
      const tableStatements = statementsOf(role).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );
      // The table itself, and the first-seen index by name for Query: no wildcard resource.
      for (const statement of tableStatements) expect(JSON.stringify(statement.Resource)).not.toContain('*');
      const indexStatements = tableStatements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      expect(indexStatements.map((s) => [s.Action].flat())).toEqual([['dynamodb:Query']]);
      expect(JSON.stringify(indexStatements[0]?.Resource)).toContain('/index/GSI1');
    }
  });

  it('throttles the HTTP API and writes its access logs to a log group with retention', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('keeps scheduled invocations that fail every retry in a dead-letter queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.Properties.MaximumRetryAttempts).toBe(2);
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    }
    for (const schedule of Object.values(template.findResources('AWS::Scheduler::Schedule'))) {
      expect(schedule.Properties.Target.DeadLetterConfig.Arn).toBeDefined();
    }
  });

  it('alarms on function errors, failing feeds, digests that fail or do not run, and dead letters', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const descriptions = alarms.map((a) => a.Properties.AlarmDescription);
    expect(descriptions).toEqual(
      expect.arrayContaining([
        'The poll function failed',
        'The digest function failed',
        'The status function failed',
        'Half the feeds or more failed in two poll runs in a row',
        'A digest could not be published',
        'The digest function has not run for a day: its schedule is broken or disabled',
        'A scheduled poll or digest failed every retry and was set aside in the dead-letter queue',
      ]),
    );
    const alarmTopic = Object.entries(template.findResources('AWS::SNS::Topic')).find(
      ([, t]) => t.Properties.DisplayName === 'news-monitor alarms',
    )?.[0];
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: alarmTopic }]);
  });

  it('archives every item seen for 30 days by default: the poll function is told so', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Polls the feeds'),
      Environment: { Variables: Match.objectLike({ ARCHIVE_RETENTION_DAYS: '30' }) },
    });
  });

  it('takes the schedules and the archive retention from context', () => {
    const custom = synth({
      pollRateMinutes: '30',
      digestSchedule: 'cron(30 18 * * ? *)',
      digestTimeZone: 'America/Bogota',
      archiveRetentionDays: '7',
    });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Polls the feeds'),
      Environment: { Variables: Match.objectLike({ ARCHIVE_RETENTION_DAYS: '7' }) },
    });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
    custom.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 18 * * ? *)',
      ScheduleExpressionTimezone: 'America/Bogota',
    });
    custom.resourceCountIs('AWS::SNS::Subscription', 0);
  }, 120_000);

  it('lets the owner choose to delete the table with the stack, and subscribes the alarm address', () => {
    const custom = synth({ tableRemovalPolicy: 'destroy', alarmEmail: 'owner@example.org' });
    custom.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    custom.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'owner@example.org',
    });
  }, 120_000);
});

describe('private feed addresses', () => {
  const pollEnvironment = (template: Template) => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const poll = functions.find((f) => String(f.Properties.Description).startsWith('Polls the feeds'));
    return poll?.Properties.Environment.Variables;
  };

  it('are refused by the poll function unless allowPrivateFeedAddresses is set', () => {
    expect(pollEnvironment(synth())).toMatchObject({ ALLOW_PRIVATE_FEED_ADDRESSES: 'false' });
    expect(pollEnvironment(synth({ allowPrivateFeedAddresses: 'true' }))).toMatchObject({
      ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
    });
  }, 240_000);
});

describe('a private status endpoint', () => {
  it('gives the status function the salted hash from context, and nothing of the password', async () => {
    const statusAuth = await makeStatusCredential('reader', 'a long pass phrase');
    const template = synth({ statusAuth });
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const env = (name: string) =>
      functions.find(([id]) => id.startsWith(name))?.[1].Properties.Environment.Variables ?? {};
    expect(env('StatusFunction').STATUS_AUTH).toBe(statusAuth);
    expect(env('PollFunction').STATUS_AUTH).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('a long pass phrase');
    const defaults = synth({});
    const status = Object.entries(defaults.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('StatusFunction'),
    );
    expect(status?.[1].Properties.Environment.Variables.STATUS_AUTH).toBeUndefined();
  }, 240_000);
});

describe('readStackConfig', () => {
  it.each([
    [
      { notifyEmails: 'ana@example.org,not-an-email' },
      /context notifyEmails\[1\]\.email: "not-an-email" is not an email address/,
    ],
    [
      { notifyEmails: 'ana@example.org/sometimes' },
      /context notifyEmails\[0\]\.kinds\[0\]: must be "alerts" or "digests"/,
    ],
    [{ pollRateMinutes: '0' }, /context pollRateMinutes: must be at least 1 minute/],
    [{ pollRateMinutes: 'often' }, /context pollRateMinutes: must be a number of minutes/],
    [{ digestSchedule: '0 7 * * *' }, /context digestSchedule: must be an EventBridge cron expression/],
    [{ digestTimeZone: 'Mars/Olympus' }, /context digestTimeZone: must be an IANA time zone/],
    [{ digestWhenQuiet: 'sometimes' }, /context digestWhenQuiet: must be true or false/],
    [{ tableRemovalPolicy: 'maybe' }, /context tableRemovalPolicy: must be "retain" or "destroy"/],
    [{ alarmEmail: 'owner' }, /context alarmEmail: "owner" is not an email address/],
    [{ allowPrivateFeedAddresses: 'yes' }, /context allowPrivateFeedAddresses: must be true or false/],
    [
      { statusAuth: 'hunter2' },
      /context statusAuth: must be the value "news-monitor status-password" prints/,
    ],
    [{ archiveRetentionDays: '0' }, /context archiveRetentionDays: must be at least 1 day/],
    [{ archiveRetentionDays: 'a month' }, /context archiveRetentionDays: must be a number of days/],
  ])('rejects %j with a message naming the context key', (context, message) => {
    expect(() => readStackConfig(context)).toThrow(message);
  });

  it('rejects an address limited to a storyline the seeds do not have', () => {
    expect(() =>
      readStackConfig({ notifyEmails: 'ana@example.org:no-such-story' }, ['us-colombia-counternarcotics']),
    ).toThrow(
      'context notifyEmails: ana@example.org asks for storyline "no-such-story", which seeds/storylines/ does not have (known: us-colombia-counternarcotics)',
    );
  });

  it('reads subscribers from cdk.json arrays as well as from -c strings', () => {
    const config = readStackConfig({
      notifyEmails: ['ana@example.org', { email: 'ben@example.org', storylines: ['a', 'b'] }],
      digestWhenQuiet: true,
    });
    expect(config.notifyEmails).toEqual([
      { email: 'ana@example.org', storylines: [], kinds: [] },
      { email: 'ben@example.org', storylines: ['a', 'b'], kinds: [] },
    ]);
    expect(config.digestWhenQuiet).toBe(true);
  });

  it('reads which addresses get alerts, digests or both', () => {
    const fromString = readStackConfig({
      notifyEmails: 'ana@example.org/alerts, ben@example.org/digests:a+b',
    });
    const fromJson = readStackConfig({
      notifyEmails: [
        { email: 'ana@example.org', kinds: ['alerts'] },
        { email: 'ben@example.org', kinds: ['digest'], storylines: ['a', 'b'] },
      ],
    });
    for (const config of [fromString, fromJson]) {
      expect(config.notifyEmails).toEqual([
        { email: 'ana@example.org', storylines: [], kinds: ['alert'] },
        { email: 'ben@example.org', storylines: ['a', 'b'], kinds: ['digest'] },
      ]);
    }
  });
});
