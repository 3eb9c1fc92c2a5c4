import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

/**
 * Subscribes an email address to the digest topic, optionally only for some storylines and only
 * to alerts or only to digests (an SNS filter policy on the storyline and kind attributes each
 * message carries). The address must confirm by email.
 */
export async function subscribeEmail(
  client: SNSClient,
  topicArn: string,
  email: string,
  storylines: readonly string[],
  kinds: ReadonlyArray<'alert' | 'digest'> = [],
): Promise<{ subscriptionArn: string }> {
  const policy = {
    ...(kinds.length > 0 ? { kind: [...kinds] } : {}),
    ...(storylines.length > 0 ? { storyline: [...storylines] } : {}),
  };
  const result = await client.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'email',
      Endpoint: email,
      ReturnSubscriptionArn: true,
      ...(Object.keys(policy).length > 0 ? { Attributes: { FilterPolicy: JSON.stringify(policy) } } : {}),
    }),
  );
  return { subscriptionArn: result.SubscriptionArn ?? 'pending confirmation' };
}

/** The region an SNS topic ARN names: arn:aws:sns:REGION:ACCOUNT:NAME. */
export function regionOfTopic(topicArn: string): string | undefined {
  return /^arn:aws[\w-]*:sns:([a-z0-9-]+):\d{12}:[\w-]+$/.exec(topicArn)?.[1];
}
