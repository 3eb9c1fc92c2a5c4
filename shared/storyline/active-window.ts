import type { ActiveWindow } from './storyline-schema.ts';

/** Why a dated item falls outside a storyline's active window. */
export interface WindowVerdict {
  publishedAt: string;
  side: 'before' | 'after';
  /** The window's end the item missed: its `from` or its `until`. */
  bound: string;
}

const DAY_MS = 86_400_000;

/** Why a dated item is outside the window, or undefined when it may belong. */
export type WindowCheck = (publishedAt: string | undefined) => WindowVerdict | undefined;

/**
 * The window's check, its bounds parsed once (a matcher checks every item). An item may belong
 * when there is no window, no date, or a date inside it. A date-only `until` includes the whole
 * of that day.
 */
export function windowCheck(window: ActiveWindow | undefined): WindowCheck {
  if (!window) return () => undefined;
  const { from, until } = window;
  const start = from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(from);
  const end =
    until === undefined ? Number.POSITIVE_INFINITY : Date.parse(until) + (until.length === 10 ? DAY_MS : 0);
  return (publishedAt) => {
    if (!publishedAt) return undefined;
    const at = Date.parse(publishedAt);
    if (Number.isNaN(at)) return undefined;
    if (from !== undefined && at < start) return { publishedAt, side: 'before', bound: from };
    if (until !== undefined && at >= end) return { publishedAt, side: 'after', bound: until };
    return undefined;
  };
}

/** `windowCheck` for one item. */
export function windowVerdict(
  window: ActiveWindow | undefined,
  publishedAt: string | undefined,
): WindowVerdict | undefined {
  return windowCheck(window)(publishedAt);
}

/** "published 2025-01-26, before the story's active window (from 2025-08-01)" */
export function describeWindow(verdict: WindowVerdict): string {
  const day = verdict.publishedAt.slice(0, 10);
  return verdict.side === 'before'
    ? `published ${day}, before the story's active window (from ${verdict.bound})`
    : `published ${day}, after the story's active window (until ${verdict.bound})`;
}
