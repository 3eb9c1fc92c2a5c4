import type { ActiveWindow } from './storyline-schema.ts';

/** Why a dated item falls outside a storyline's active window. */
export interface WindowVerdict {
  publishedAt: string;
  side: 'before' | 'after';
  /** The window's end the item missed: its `from` or its `until`. */
  bound: string;
}

const DAY_MS = 86_400_000;

/**
 * Undefined when the item may belong (no window, no date, or a date inside the window). A
 * date-only `until` includes the whole of that day.
 */
export function windowVerdict(
  window: ActiveWindow | undefined,
  publishedAt: string | undefined,
): WindowVerdict | undefined {
  if (!window || !publishedAt) return undefined;
  const at = Date.parse(publishedAt);
  if (Number.isNaN(at)) return undefined;
  if (window.from !== undefined && at < Date.parse(window.from)) {
    return { publishedAt, side: 'before', bound: window.from };
  }
  if (window.until !== undefined) {
    const end = Date.parse(window.until) + (window.until.length === 10 ? DAY_MS : 0);
    if (at >= end) return { publishedAt, side: 'after', bound: window.until };
  }
  return undefined;
}

/** "published 2025-01-26, before the story's active window (from 2025-08-01)" */
export function describeWindow(verdict: WindowVerdict): string {
  const day = verdict.publishedAt.slice(0, 10);
  return verdict.side === 'before'
    ? `published ${day}, before the story's active window (from ${verdict.bound})`
    : `published ${day}, after the story's active window (until ${verdict.bound})`;
}
