import * as z from 'zod';
import { formatIssuePath } from '../shared/validation.ts';

/** Deployment settings, read from CDK context (`-c key=value` or cdk.json). */
export interface StackConfig {
  /** Addresses subscribed to the digest topic; each must confirm by email. */
  notifyEmails: string[];
  pollRateMinutes: number;
  /** EventBridge Scheduler cron expression, e.g. cron(0 7 * * ? *). */
  digestSchedule: string;
  digestTimeZone: string;
  itemRetentionDays: number;
}

const emailList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((e) => e.trim()).filter(Boolean),
  )
  .pipe(z.array(z.email({ error: (issue) => `"${String(issue.input)}" is not an email address` })));

const contextSchema = z.object({
  notifyEmails: emailList.default([]),
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
});

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/** Validates context before anything is synthesized; the message names the context key. */
export function readStackConfig(context: Record<string, unknown>): StackConfig {
  const known = Object.fromEntries(Object.keys(contextSchema.shape).map((k) => [k, context[k]]));
  const result = contextSchema.safeParse(known);
  if (result.success) return result.data;
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
