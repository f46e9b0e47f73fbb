import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../server/server.js';
import { openSse, type SseConnection } from '../helpers/sse-client.js';
import { launchBrowser } from './browser.js';
import { startDemoServer } from './demo-server.js';

let server: RunningServer;
let browser: Browser;
let holder: SseConnection;

beforeAll(async () => {
  // One live viewer per address, and that one is already taken from 127.0.0.1.
  server = await startDemoServer(0.5, { env: { MAX_VIEWERS_PER_ADDRESS: '1' } });
  holder = await openSse(`http://127.0.0.1:${server.port}/api/feeds/saint-etienne/events`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  holder?.close();
  await server?.close();
});

describe('a live stream refused by the server, in Chromium', () => {
  it('falls back to polling after the first refusal, and keeps showing the posts', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const page = await browser.newPage();
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/events')) streams.push(request.url());
    });
    await page.goto(`${origin}/`);
    await page.locator('commune-feed article[data-post-id]').first().waitFor({ timeout: 10_000 });
    const state = () =>
      page.locator('commune-feed').evaluate((el) => (el as { connectionState?: string }).connectionState);
    await expect.poll(state, { timeout: 10_000 }).toBe('polling');
    // Chromium gives the page no status, only an error before the stream opened: one try was enough.
    expect(streams).toHaveLength(1);
    expect(server.delivery.hub.viewerCount).toBe(1);
    expect(await page.locator('commune-feed article[data-post-id]').count()).toBeGreaterThan(0);
    await page.close();
  });
});
