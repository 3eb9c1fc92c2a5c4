/**
 * What the status API shows of URLs and errors. A feed URL may carry credentials (user:secret@)
 * or keys in its query string; the endpoint is public, so it shows scheme, host and path only,
 * and takes the same out of error text.
 */

const REDACTED = '[redacted]';
// Stops at characters that end a URL in prose, so "(last to http://a/b)" keeps its parenthesis.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;
/** Shorter secrets are replaced only as whole words, so that "id" does not garble "invalid". */
const MIN_SUBSTRING_SECRET = 4;

/** Scheme, host and path of a feed URL; an unreadable one is shown as its scheme alone. */
export function publicFeedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
    return scheme ? `${scheme}://${REDACTED}` : REDACTED;
  }
}

/** An article link as stored, minus any credentials; its query string is part of the article's address. */
export function publicLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}

/**
 * An error as shown: every URL in it reduced as a feed URL is, and the credentials and query
 * values of the feed's own URL taken out wherever else they appear.
 */
export function redactError(error: string, feedUrl: string | undefined): string {
  let text = error.replace(URL_IN_TEXT, publicFeedUrl);
  for (const secret of secretsOf(feedUrl)) {
    text =
      secret.length >= MIN_SUBSTRING_SECRET
        ? text.split(secret).join(REDACTED)
        : text.replace(new RegExp(`(?<![\\w-])${escapeRegExp(secret)}(?![\\w-])`, 'g'), REDACTED);
  }
  return text;
}

function secretsOf(feedUrl: string | undefined): string[] {
  if (!feedUrl) return [];
  let parsed: URL;
  try {
    parsed = new URL(feedUrl);
  } catch {
    return [];
  }
  const values = [
    decodeSafely(parsed.username),
    decodeSafely(parsed.password),
    parsed.username,
    parsed.password,
    ...parsed.searchParams.values(),
  ];
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(values.filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
