import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UserInputError } from '#shared/errors.ts';

/** Bad command-line usage; printed as one line and exits with status 2. */
export class UsageError extends UserInputError {
  override name = 'UsageError';
}

/**
 * Where a command writes. With --json, stdout carries only JSON lines and everything meant for
 * people goes to stderr; without it, people's output goes to stdout.
 */
export class CliOutput {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** Output for people: stdout, or stderr under --json. */
  say(text: string): void {
    (this.json ? this.stderr : this.stdout).write(`${text}\n`);
  }

  /** Progress and side notes: always stderr. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /**
   * A status line rewritten in place on a terminal (stderr); null clears it. Only used when the
   * caller knows stderr is a terminal.
   */
  progress(text: string | null): void {
    this.stderr.write(text === null ? '\r\u001b[2K' : `\r\u001b[2K${text}`);
  }

  /** One JSON object per line on stdout; only under --json. */
  record(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value)}\n`);
  }
}

/** Whether a stream is a terminal a person watches (live progress makes sense there). */
export function isInteractive(stream: NodeJS.WritableStream): boolean {
  return Boolean((stream as { isTTY?: boolean }).isTTY) && process.env.CI !== 'true';
}

export interface CommandContext {
  argv: string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the user asks the process to stop (Ctrl-C). */
  stopSignal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(context: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/** node:util parseArgs, with its errors turned into one-line usage errors naming the command. */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${command}: ${reason}; see "news-monitor ${command} --help"`);
  }
}

export function requireOption(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') {
    throw new UsageError(`${command}: ${flag} is required; see "news-monitor ${command} --help"`);
  }
  return value;
}

export function parsePositiveInt(
  command: string,
  value: string | undefined,
  flag: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${command}: ${flag} must be a whole number of at least 1, not "${value}"`);
  }
  return Number(value);
}

export function parsePort(command: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`${command}: --port must be a number from 0 to 65535, not "${value}"`);
  }
  return Number(value);
}
