import { existsSync } from 'node:fs';
import { systemToolPresent } from './system-tool.ts';

const DEBIAN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Debian's Chromium, for the status page test, if installed. CHROMIUM_PATH, when set, is the only
 * place looked at, so a run can hide an installed Chromium (.ci/run does, to act as a newcomer).
 */
export function chromiumPath(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : DEBIAN_PATHS;
  const found = candidates.find((p) => existsSync(p));
  return systemToolPresent(
    found !== undefined,
    'Chromium',
    'status page browser tests',
    'apt-get install chromium, or set CHROMIUM_PATH',
  )
    ? found
    : undefined;
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
