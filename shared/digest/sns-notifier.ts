import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestMessage, DigestNotifier } from './digest-notifier.ts';

export class DigestPublishError extends Error {
  override name = 'DigestPublishError';
}

/** Publishes to the digest topic; attributes let a subscription filter by kind and storyline. */
export class SnsNotifier implements DigestNotifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: DigestMessage): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.text,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: message.kind ?? 'digest' },
          storyline: { DataType: 'String', StringValue: message.storylineId },
          itemCount: { DataType: 'Number', StringValue: String(message.itemCount) },
        },
      }),
    );
    if (!result.MessageId)
      throw new DigestPublishError(`SNS accepted the ${message.kind ?? 'digest'} but returned no message id`);
    return { messageId: result.MessageId };
  }
}
