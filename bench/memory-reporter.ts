/**
 * Preloaded (--import) into the `serve` process the status-load benchmark starts: answers a
 * "memory" message on the IPC channel with the process's memory after a full garbage collection,
 * so the benchmark reads the server's own heap without the server knowing about benchmarks.
 */
const collect = (globalThis as { gc?: () => void }).gc;

process.on('message', (message) => {
  if (message !== 'memory') return;
  collect?.();
  collect?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ rss, heapUsed, collected: collect !== undefined });
});
// The channel must not keep a server that was told to stop alive.
process.channel?.unref();
