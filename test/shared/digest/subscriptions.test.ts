import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { regionOfTopic, subscribeEmail } from '#shared/digest/subscriptions.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:NewsMonitor-DigestTopic';

describe('subscribeEmail', () => {
  beforeEach(() => sns.reset());

  it('limits an address to some storylines with a filter policy on the storyline attribute', async () => {
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: 'pending confirmation' });
    await subscribeEmail(new SNSClient({ region: 'eu-west-1' }), TOPIC, 'ana@example.org', [
      'us-colombia-counternarcotics',
    ]);
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Protocol: 'email',
      Endpoint: 'ana@example.org',
      ReturnSubscriptionArn: true,
      Attributes: { FilterPolicy: '{"storyline":["us-colombia-counternarcotics"]}' },
    });
  });

  it('limits an address to alerts (or digests) with a filter policy on the kind attribute', async () => {
    sns.on(SubscribeCommand).resolves({});
    await subscribeEmail(
      new SNSClient({ region: 'eu-west-1' }),
      TOPIC,
      'cy@example.org',
      ['us-colombia-counternarcotics'],
      ['alert'],
    );
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input.Attributes).toEqual({
      FilterPolicy: '{"kind":["alert"],"storyline":["us-colombia-counternarcotics"]}',
    });
  });

  it('subscribes to every storyline when none is named', async () => {
    sns.on(SubscribeCommand).resolves({});
    const result = await subscribeEmail(new SNSClient({ region: 'eu-west-1' }), TOPIC, 'ben@example.org', []);
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input.Attributes).toBeUndefined();
    expect(result.subscriptionArn).toBe('pending confirmation');
  });
});

describe('regionOfTopic', () => {
  it('reads the region from a topic ARN and refuses anything else', () => {
    expect(regionOfTopic(TOPIC)).toBe('eu-west-1');
    expect(regionOfTopic('arn:aws:sqs:eu-west-1:123456789012:q')).toBeUndefined();
    expect(regionOfTopic('my-topic')).toBeUndefined();
  });
});
