import { randomUUID } from 'node:crypto';

/**
 * What EventBridge Scheduler delivers to a Lambda target whose schedule sets no Input (the
 * stack's schedules set none): its default notification, an EventBridge-style envelope.
 */
export function schedulerEvent(scheduleName: string, region = 'eu-west-1') {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '123456789012',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:scheduler:${region}:123456789012:schedule/default/${scheduleName}`],
    detail: '{}',
  };
}
