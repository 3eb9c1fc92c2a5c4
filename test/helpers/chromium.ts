import { existsSync } from 'node:fs';
import { systemToolPresent } from './system-tool.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's Chromium, for the status page test, if installed. */
export function chromiumPath(): string | undefined {
  const found = CANDIDATES.find((p): p is string => p !== undefined && existsSync(p));
  return systemToolPresent(
    found !== undefined,
    'Chromium',
    'status page browser tests',
    'apt-get install chromium',
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
