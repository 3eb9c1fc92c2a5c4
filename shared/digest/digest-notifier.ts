/** A digest on its way to readers. */
export interface DigestMessage {
  storylineId: string;
  subject: string;
  text: string;
  itemCount: number;
}

/**
 * Where digests go: SNS in AWS, the terminal and a file locally. `publish` resolves only once the
 * message was accepted; the digest cursor moves after that and never before.
 */
export interface DigestNotifier {
  publish(message: DigestMessage): Promise<{ messageId: string }>;
}
