import * as z from 'zod';
import { ConfigError } from './errors.ts';
import type { PrivateAddressPolicy } from './feeds/address-policy.ts';
import { STATUS_CREDENTIAL_PATTERN } from './status/basic-auth.ts';

type Env = Readonly<Record<string, string | undefined>>;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const common = {
  TABLE_NAME: z.string().min(1),
  /** Storylines and feeds ship with each function under this directory. */
  SEEDS_DIR: z.string().min(1).default('seeds'),
  ITEM_RETENTION_DAYS: positiveInt(365),
  POLL_INTERVAL_MINUTES: positiveInt(15),
};

const pollSchema = z.object({
  ...common,
  POLL_CONCURRENCY: positiveInt(16),
  /** Days every item seen is archived, for backtests, labelling and re-matching. */
  ARCHIVE_RETENTION_DAYS: positiveInt(30),
  FEED_TIMEOUT_MS: positiveInt(10_000),
  FEED_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  /** Time kept in reserve at the end of an invocation to save state. */
  POLL_DEADLINE_MARGIN_MS: positiveInt(15_000),
  /** "true" lets feeds and their redirects reach loopback, link-local and private addresses. */
  ALLOW_PRIVATE_FEED_ADDRESSES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v): PrivateAddressPolicy => (v === 'true' ? 'allow' : 'refuse')),
  /** The digest topic, where alerts go too; needed when a storyline has an alert rule. */
  TOPIC_ARN: z.string().startsWith('arn:').optional(),
});

const digestSchema = z.object({
  ...common,
  TOPIC_ARN: z.string().startsWith('arn:'),
  /** "true" sends a short note when a window is quiet; by default quiet windows send nothing. */
  DIGEST_SEND_WHEN_QUIET: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
const statusSchema = z.object({
  ...common,
  /** Set: the endpoint is private; the value is the salted hash `news-monitor status-password` prints. */
  STATUS_AUTH: z.string().regex(STATUS_CREDENTIAL_PATTERN, 'not a status-password credential').optional(),
});

export type PollConfig = z.infer<typeof pollSchema>;
export type DigestConfig = z.infer<typeof digestSchema>;
export type StatusConfig = z.infer<typeof statusSchema>;

/** Reads and validates settings once; the first bad one fails start-up with its name. */
function read<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const problem = env[name] === undefined ? 'is missing' : `is invalid (${issue?.message})`;
  throw new ConfigError(`setting ${name} ${problem}; set it in the function's environment`);
}

export const readPollConfig = (env: Env): PollConfig => read(pollSchema, env);
export const readDigestConfig = (env: Env): DigestConfig => read(digestSchema, env);
export const readStatusConfig = (env: Env): StatusConfig => read(statusSchema, env);
