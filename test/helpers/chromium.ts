import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Debian's Chromium, for the status page test. Without it the test is left out with a printed
 * reason, except under CI=true, where a missing browser is a failure: .ci/run installs it.
 */
export function chromiumPath(): string | undefined {
  const found = CANDIDATES.find((p): p is string => p !== undefined && existsSync(p));
  if (found) return found;
  if (process.env.CI === 'true') {
    throw new Error(
      'Chromium is required for the status page test under CI=true; .ci/run installs it with apt-get',
    );
  }
  process.stderr.write(
    'Status page browser test left out: no Chromium found (apt-get install chromium to run it)\n',
  );
  return undefined;
}

/** Flags for a headless Chromium on a closed network: no background connections, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
