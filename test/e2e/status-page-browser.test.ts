import { mkdir } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { type RunningServer, startStatusServer } from '../../bin/local-server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium.ts';
import { startLocalStore } from '../helpers/local-store.ts';
import { sampleMatch } from '../helpers/sample-match.ts';

const browserPath = chromiumPath();

// Without Chromium the helper has printed why this is left out (and failed the run under CI=true).
describe.runIf(browserPath)(`the status page in headless Chromium (${browserPath})`, () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    const storylines = await loadStorylines('seeds/storylines');
    const now = Date.now();
    await store.ensureItemCounts(
      storylines.map((s) => s.id),
      new Date(now),
    );
    for (let i = 0; i < 8; i++) {
      await store.saveMatch(
        sampleMatch({
          storylineId: 'us-colombia-counternarcotics',
          canonicalUrl: `https://n.example/${i}`,
          title: i === 0 ? '<img src=x onerror="console.error(1)"> Petro & "Trump"' : `Petro headline ${i}`,
          source: `Outlet ${i % 3}`,
        }),
        new Date(now - i * 20 * 3_600_000),
      );
    }
    await store.saveFeedStates([
      {
        feedId: 'andes-wire',
        url: 'https://andes.example/rss',
        consecutiveFailures: 0,
        itemsSeen: 12,
        itemsStored: 8,
        lastSuccessAt: new Date(now).toISOString(),
      },
      {
        feedId: 'broken-feed',
        url: 'https://broken.example/rss',
        consecutiveFailures: 3,
        itemsSeen: 0,
        itemsStored: 0,
        lastError: 'HTTP 503 Service Unavailable',
        nextAttemptAt: new Date(now + 3_600_000).toISOString(),
      },
    ]);
    await store.saveRun({
      feeds: 2,
      fetched: 1,
      notModified: 0,
      failed: 1,
      itemsSeen: 12,
      matched: 8,
      stored: 8,
      skipped: 0,
      backingOff: 0,
      durationMs: 2_300,
      startedAt: new Date(now - 60_000).toISOString(),
      finishedAt: new Date(now - 57_700).toISOString(),
    });
    server = await startStatusServer(0, {
      store,
      storylines,
      feeds: [
        { id: 'andes-wire', url: 'https://andes.example/rss' },
        { id: 'broken-feed', url: 'https://broken.example/rss' },
      ],
      clock: () => new Date(now),
      pollIntervalMinutes: 15,
    });
    browser = await chromium.launch({ executablePath: browserPath, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('renders with no console errors and shows the feeds, the chart and the latest items', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    const response = await page.goto(`${server.url}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    expect(await page.locator('h1').count()).toBe(1);
    const feedRows = page.locator('table').last().locator('tbody tr');
    expect(await feedRows.count()).toBe(2);
    expect(await page.textContent('body')).toContain('HTTP 503 Service Unavailable');
    expect(await page.textContent('body')).toContain('waiting until');
    expect(await page.locator('svg[role="img"] rect.bar').count()).toBe(14);
    // The hostile title is shown as text, not run.
    expect(await page.textContent('body')).toContain(
      '<img src=x onerror="console.error(1)"> Petro & "Trump"',
    );
    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);

    // UPDATE_SCREENSHOT=1 refreshes the README's picture of the page.
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await mkdir('docs', { recursive: true });
      await page.screenshot({ path: 'docs/status-page.png', fullPage: true });
    }

    await page.click('text=All items');
    await page.waitForURL(/\/storylines\/us-colombia-counternarcotics\/items/);
    expect(await page.locator('tbody tr').count()).toBe(8);
    expect(problems).toEqual([]);
    await page.close();
  });
});
