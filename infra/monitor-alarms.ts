import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitorAlarmsProps {
  poll: IFunction;
  digest: IFunction;
  status: IFunction;
  /** Scheduled invocations that failed every retry land here. */
  failedInvocations: IQueue;
  pollRateMinutes: number;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string | undefined;
}

/**
 * Tells the owner when the monitor breaks: function errors, a poll run failing half its feeds or
 * more, a digest that failed or did not run for a day, and invocations that ended in the
 * dead-letter queue. Alarms go to their own topic, apart from the digest readers.
 */
export class MonitorAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitorAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'news-monitor alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      threshold: number,
      options: AlarmOptions = {},
    ) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);

    for (const [name, fn] of [
      ['Poll', props.poll],
      ['Digest', props.digest],
      ['Status', props.status],
    ] as const) {
      alarm(
        `${name}Errors`,
        `The ${name.toLowerCase()} function failed`,
        fn.metricErrors({ period: Duration.minutes(5) }),
        1,
      );
    }

    const pollPeriod = Duration.minutes(Math.max(5, props.pollRateMinutes));
    alarm(
      'FeedsFailing',
      'Half the feeds or more failed in two poll runs in a row',
      new Metric({
        namespace: 'NewsMonitor',
        metricName: 'FeedsFailedPercent',
        dimensionsMap: { service: 'poll' },
        statistic: 'Maximum',
        period: pollPeriod,
      }),
      50,
      { evaluationPeriods: 2 },
    );
    alarm(
      'DigestFailed',
      'A digest could not be published',
      new Metric({
        namespace: 'NewsMonitor',
        metricName: 'DigestsFailed',
        dimensionsMap: { service: 'digest' },
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      1,
    );
    alarm(
      'DigestNotRun',
      'The digest function has not run for a day: its schedule is broken or disabled',
      props.digest.metricInvocations({ period: Duration.hours(26), statistic: 'Sum' }),
      1,
      { comparison: ComparisonOperator.LESS_THAN_THRESHOLD, missing: TreatMissingData.BREACHING },
    );
    alarm(
      'FailedInvocations',
      'A scheduled poll or digest failed every retry and was set aside in the dead-letter queue',
      props.failedInvocations.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
    );
  }
}

interface AlarmOptions {
  evaluationPeriods?: number;
  comparison?: ComparisonOperator;
  missing?: TreatMissingData;
}
