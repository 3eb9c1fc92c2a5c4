import { defaultMaxListeners, setMaxListeners } from 'node:events';

export interface SharedAbortSignal {
  signal: AbortSignal | undefined;
  /** Detaches from the outer signal; call it when the work that shared the signal is over. */
  release: () => void;
}

/**
 * A signal for `users` concurrent tasks that each listen to it once at a time. It follows `outer`
 * through a single listener, and allows `users` listeners of its own, so a fan-out wider than
 * Node's default of 10 is not reported as a leak while a real leak (more than that) still is.
 */
export function shareAbortSignal(outer: AbortSignal | undefined, users: number): SharedAbortSignal {
  if (outer === undefined) return { signal: undefined, release: () => {} };
  const inner = new AbortController();
  setMaxListeners(Math.max(defaultMaxListeners, users), inner.signal);
  const follow = () => inner.abort(outer.reason);
  if (outer.aborted) follow();
  else outer.addEventListener('abort', follow, { once: true });
  return { signal: inner.signal, release: () => outer.removeEventListener('abort', follow) };
}
