import { FeedParseTimeoutError } from './raw-feed.ts';

/** Time allowed to decode, repair, parse and normalise one feed, as a backstop. */
export const DEFAULT_PARSE_TIME_LIMIT_MS = 15_000;

/** When reading a feed must stop; `check` throws FeedParseTimeoutError once it has passed. */
export class ParseDeadline {
  private readonly endsAt: number;

  constructor(
    readonly limitMs: number = DEFAULT_PARSE_TIME_LIMIT_MS,
    now = Date.now(),
  ) {
    this.endsAt = now + limitMs;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** Throws once the time is up; cheap enough for a loop to call often. */
  readonly check = (): void => {
    if (Date.now() > this.endsAt) throw this.error();
  };

  error(): FeedParseTimeoutError {
    return new FeedParseTimeoutError(
      `reading the feed took longer than ${this.limitMs} ms; it is too large or too damaged`,
    );
  }
}
