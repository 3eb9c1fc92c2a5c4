import * as z from 'zod';
import { STATUS_CREDENTIAL_PATTERN } from '#shared/status/basic-auth.ts';
import { formatIssuePath } from '#shared/validation.ts';

/** Deployment settings, read from CDK context (`-c key=value` or cdk.json). */
/** An address subscribed to the digest topic, optionally only for some storylines. */
export interface Subscriber {
  email: string;
  /** Storyline ids this address receives; empty means every storyline. */
  storylines: string[];
  /** What it receives, by the messages' `kind` attribute; empty means alerts and digests. */
  kinds: MessageKind[];
}

export type MessageKind = 'alert' | 'digest';

export interface StackConfig {
  /** Addresses subscribed to the digest topic; each must confirm by email. */
  notifyEmails: Subscriber[];
  /** Send a short note when a digest window is quiet, rather than nothing. */
  digestWhenQuiet: boolean;
  pollRateMinutes: number;
  /** EventBridge Scheduler cron expression, e.g. cron(0 7 * * ? *). */
  digestSchedule: string;
  digestTimeZone: string;
  itemRetentionDays: number;
  /** Every item seen (matched or not) is archived this long, for backtests, labelling and re-matching. */
  archiveRetentionDays: number;
  /** retain (default) keeps the table, and its data, when the stack is deleted. */
  tableRemovalPolicy: 'retain' | 'destroy';
  /** Where alarms are emailed; without it they still show in CloudWatch and on the alarm topic. */
  alarmEmail?: string | undefined;
  /** Let feeds and their redirects reach loopback, link-local and private addresses (off by default). */
  allowPrivateFeedAddresses: boolean;
  /**
   * Makes the status endpoint private (HTTP Basic): the salted hash `news-monitor status-password`
   * prints. Absent, the endpoint is public, which is safe because it shows nothing secret.
   */
  statusAuth?: string | undefined;
}

const storylineId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'is not a storyline id');

const messageKind = z
  .enum(['alert', 'alerts', 'digest', 'digests'], { error: 'must be "alerts" or "digests"' })
  .transform((kind): MessageKind => (kind.startsWith('alert') ? 'alert' : 'digest'));

const subscriber = z
  .object({
    email: z.email({ error: (issue) => `"${String(issue.input)}" is not an email address` }),
    storylines: z.array(storylineId).default([]),
    kinds: z.array(messageKind).default([]),
  })
  .strict();

/**
 * "ana@example.org,ben@example.org:story-a+story-b,cy@example.org/alerts" (Ben only receives
 * those two storylines, Cy only alerts; "/digests" is only digests), or in cdk.json an array of
 * such strings or of {"email", "storylines", "kinds"} objects.
 */
const emailList = z
  .union([z.string(), z.array(z.union([z.string(), z.object({}).loose()]))])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((entry) => {
        if (typeof entry !== 'string') return entry;
        const [address = '', storylines] = entry.trim().split(/:(.*)/s);
        const [email = '', kind] = address.split('/');
        return {
          email: email.trim(),
          storylines: storylines ? storylines.split('+').map((id) => id.trim()) : [],
          kinds: kind === undefined ? [] : [kind.trim()],
        };
      })
      .filter((entry) => !(typeof entry === 'object' && 'email' in entry && entry.email === '')),
  )
  .pipe(z.array(subscriber));

/** true/false, from cdk.json or as the strings -c passes; absent means false. */
const booleanFlag = z.unknown().transform((value, ctx) => {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  ctx.addIssue({ code: 'custom', message: 'must be true or false' });
  return z.NEVER;
});

const contextSchema = z.object({
  notifyEmails: emailList.default([]),
  digestWhenQuiet: booleanFlag,
  pollRateMinutes: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(1440, 'must be at most 1440 minutes (a day)')
    .default(15),
  digestSchedule: z
    .string()
    .regex(/^cron\((\S+\s){5}\S+\)$/, 'must be an EventBridge cron expression such as "cron(0 7 * * ? *)"')
    .default('cron(0 7 * * ? *)'),
  digestTimeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as "UTC" or "America/Bogota"')
    .default('UTC'),
  itemRetentionDays: z.coerce.number().int().min(1).max(3650, 'must be at most 3650 days').default(365),
  archiveRetentionDays: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(365, 'must be at most 365 days')
    .default(30),
  tableRemovalPolicy: z
    .enum(['retain', 'destroy'], { error: 'must be "retain" or "destroy"' })
    .default('retain'),
  alarmEmail: z.email({ error: (issue) => `"${String(issue.input)}" is not an email address` }).optional(),
  allowPrivateFeedAddresses: booleanFlag,
  statusAuth: z
    .string()
    .trim()
    .regex(STATUS_CREDENTIAL_PATTERN, 'must be the value "news-monitor status-password" prints')
    .optional(),
});

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/**
 * Validates context before anything is synthesized; the message names the context key. When the
 * storyline ids are given, every storyline an address is limited to must be one of them.
 */
export function readStackConfig(
  context: Record<string, unknown>,
  storylineIds?: readonly string[],
): StackConfig {
  const known = Object.fromEntries(Object.keys(contextSchema.shape).map((k) => [k, context[k]]));
  const result = contextSchema.safeParse(known);
  if (result.success) {
    for (const { email, storylines } of result.data.notifyEmails) {
      const unknown = storylineIds ? storylines.filter((id) => !storylineIds.includes(id)) : [];
      if (unknown.length > 0) {
        throw new StackConfigError(
          `context notifyEmails: ${email} asks for storyline "${unknown[0]}", which seeds/storylines/ does not have (known: ${storylineIds?.join(', ')})`,
        );
      }
    }
    return result.data;
  }
  const problems = result.error.issues.map((i) => `context ${formatIssuePath(i.path)}: ${i.message}`);
  throw new StackConfigError(`${problems.join('; ')} (set it with -c key=value or in cdk.json)`);
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
