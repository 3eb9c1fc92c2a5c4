/** A digest (or an alert) on its way to readers. */
export interface DigestMessage {
  /** Sent as the `kind` attribute, so one topic serves both and a subscription's filter picks; digest when absent. */
  kind?: 'digest' | 'alert' | undefined;
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
