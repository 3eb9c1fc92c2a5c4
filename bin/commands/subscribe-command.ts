import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod';
import { regionOfTopic, subscribeEmail } from '#shared/digest/subscriptions.ts';
import { describeError } from '#shared/errors.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  parseCommandArgs,
  requireOption,
  UsageError,
} from '../cli-io.ts';
import { STORYLINES_DIR } from '../local-runtime.ts';

export const subscribeCommand: Command = {
  name: 'subscribe',
  summary: 'subscribe an email address to a deployed digest topic',
  usage: `news-monitor subscribe EMAIL --topic-arn ARN [--storyline ID]... [--only alerts|digests] [--json]

Subscribes EMAIL to the digest topic of a deployment (the DigestTopicArn output of cdk deploy),
with the AWS credentials of your shell. With --storyline (repeatable) the address receives only
those storylines' messages; with --only, only alerts or only digests (else both). SNS sends a
confirmation email first.
With --json: {"email", "topicArn", "storylines", "kinds", "subscriptionArn"}.`,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(
      'subscribe',
      argv,
      {
        ...COMMON_OPTIONS,
        'topic-arn': { type: 'string' },
        storyline: { type: 'string', multiple: true },
        only: { type: 'string' },
      },
      true,
    );
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0)
      throw new UsageError('subscribe: give exactly one EMAIL; see "news-monitor subscribe --help"');
    if (!z.email().safeParse(email).success)
      throw new UsageError(`subscribe: "${email}" is not an email address`);
    const topicArn = requireOption('subscribe', values['topic-arn'], '--topic-arn');
    const region = regionOfTopic(topicArn);
    if (!region) {
      throw new UsageError(
        `subscribe: "${topicArn}" is not an SNS topic ARN; use the DigestTopicArn output of "cdk deploy"`,
      );
    }
    if (values.only !== undefined && values.only !== 'alerts' && values.only !== 'digests') {
      throw new UsageError(`subscribe: --only must be "alerts" or "digests", not "${values.only}"`);
    }
    const kinds = values.only === undefined ? [] : ([values.only === 'alerts' ? 'alert' : 'digest'] as const);
    const storylines = values.storyline ?? [];
    const known = (await loadStorylines(STORYLINES_DIR)).map((s) => s.id);
    const unknown = storylines.find((id) => !known.includes(id));
    if (unknown) throw new UsageError(`subscribe: no storyline "${unknown}"; known: ${known.join(', ')}`);

    const out = new CliOutput(values.json, stdout, stderr);
    const client = new SNSClient({ region });
    try {
      const { subscriptionArn } = await subscribeEmail(client, topicArn, email, storylines, kinds);
      out.record({ email, topicArn, storylines, kinds, subscriptionArn });
      out.say(
        `Subscribed ${email}${storylines.length ? ` to ${storylines.join(', ')}` : ''}; it receives ${values.only ?? 'alerts and digests'} once it confirms the email from AWS.`,
      );
      return 0;
    } catch (error) {
      throw new Error(`SNS refused the subscription: ${describeError(error)}`);
    } finally {
      client.destroy();
    }
  },
};
