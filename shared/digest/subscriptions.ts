import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

/**
 * Subscribes an email address to the digest topic, optionally only for some storylines (an SNS
 * filter policy on the storyline attribute each digest carries). The address must confirm by email.
 */
export async function subscribeEmail(
  client: SNSClient,
  topicArn: string,
  email: string,
  storylines: readonly string[],
): Promise<{ subscriptionArn: string }> {
  const result = await client.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'email',
      Endpoint: email,
      ReturnSubscriptionArn: true,
      ...(storylines.length > 0
        ? { Attributes: { FilterPolicy: JSON.stringify({ storyline: [...storylines] }) } }
        : {}),
    }),
  );
  return { subscriptionArn: result.SubscriptionArn ?? 'pending confirmation' };
}

/** The region an SNS topic ARN names: arn:aws:sns:REGION:ACCOUNT:NAME. */
export function regionOfTopic(topicArn: string): string | undefined {
  return /^arn:aws[\w-]*:sns:([a-z0-9-]+):\d{12}:[\w-]+$/.exec(topicArn)?.[1];
}
