/**
 * An error the user can cause and fix: bad input, a bad file, a bad setting.
 * Its message is one line that names the thing and says what to do.
 * The CLI prints it without a stack; the HTTP handler maps it to a 4xx.
 */
export class UserInputError extends Error {
  override name = 'UserInputError';
}

/** A required setting is missing or invalid; raised at start-up. */
export class ConfigError extends UserInputError {
  override name = 'ConfigError';
}

/** Turns any thrown value into a one-line reason suitable for logs, feed state and the status page. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`.replace(/\s+/g, ' ').trim();
  }
  return String(error).replace(/\s+/g, ' ').trim();
}
