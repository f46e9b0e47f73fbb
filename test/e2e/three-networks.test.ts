/**
 * One feed reads X, Mastodon and Bluesky at once, each through its real client against its fake
 * over HTTP and WebSocket: posts pushed on Mastodon's stream and on Jetstream reach an open widget
 * with no poll in between, and a stream that dies falls back to polling and loses nothing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../server/config.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { startFakeBluesky, type FakeBluesky } from '../fake-bluesky/fake-bluesky-server.js';
import { fakeActor, fakePost, tagFacet } from '../fake-bluesky/fixtures.js';
import { startFakeMastodon, type FakeMastodon } from '../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdAt } from '../fake-mastodon/statuses.js';
import { fakeTweet, startFakeX, type FakeX } from '../fake-x/fake-x-server.js';
import { tempDir } from '../helpers/config.js';
import { fakeNetworksEnv } from '../helpers/fake-networks-env.js';
import { launchBrowser } from './browser.js';
import { embedSnippet, startHostPage, type HostPage } from './host-page.js';

const X_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAx-token-for-three-networks';
const MASTODON_TOKEN = 'mastodon-token-for-three-networks-0123456789';
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';
const FEED = 'fete';

let x: FakeX;
let mastodon: FakeMastodon;
let bluesky: FakeBluesky;
let server: RunningServer;
let browser: Browser;
let host: HostPage;
let page: Page;
const townBsky = fakeActor('ville.bsky.social');
const residentBsky = fakeActor('habitante.bsky.social');
let seq = 0;

function mastodonStatus(text: string) {
  const reader = fakeAccount({ username: 'lea', domain: 'piaille.fr' });
  return fakeStatus({ account: reader, text, id: mastodonIdAt(Date.now(), seq++) });
}

function blueskyPost(text: string, author = residentBsky) {
  return fakePost({ author, text, facets: [tagFacet(text, '#FeteDuLivre')], createdAt: new Date().toISOString() });
}

/** The post ids the widget shows, after taking in any "new posts" waiting behind the button. */
async function shownIds(): Promise<string[]> {
  const more = page.locator('commune-feed button', { hasText: /nouvelle/i });
  if (await more.count()) await more.first().click();
  return page
    .locator('commune-feed article[data-post-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')!));
}

/** Timeline reads of the fakes: what a poll does (hydrating a Jetstream post is not a poll). */
function pollCalls(): number {
  return (
    mastodon.callsTo('account-statuses').length +
    mastodon.callsTo('hashtag').length +
    bluesky.callsTo('getAuthorFeed').length +
    bluesky.callsTo('searchPosts').length
  );
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

beforeAll(async () => {
  x = await startFakeX({ token: X_TOKEN });
  const townX = x.addUser({ username: 'saint_etienne_', name: 'Ville de Saint-Étienne' });
  const { tweet, media } = fakeTweet({
    author: townX,
    text: 'Ouverture de la #FeteDuLivre',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
  });
  x.addTweet(tweet, media);

  mastodon = await startFakeMastodon({ token: MASTODON_TOKEN });
  const townMasto = mastodon.addAccount(fakeAccount({ username: 'ville' }));
  mastodon.streaming.followed.add(townMasto.id);
  mastodon.addStatus(
    fakeStatus({ account: townMasto, text: 'Programme du samedi', id: mastodonIdAt(Date.now() - 30_000, seq++) }),
  );

  bluesky = await startFakeBluesky();
  bluesky.addAccount(townBsky, APP_PASSWORD);
  bluesky.addActor(residentBsky);
  bluesky.addPost(
    fakePost({
      author: townBsky,
      text: 'Rendez-vous place Jean-Jaurès',
      createdAt: new Date(Date.now() - 30_000).toISOString(),
    }),
  );

  const dir = tempDir();
  const file = path.join(dir, 'feeds.json');
  writeFileSync(
    file,
    JSON.stringify({
      feeds: [
        {
          id: FEED,
          title: 'Fête du livre',
          hashtags: ['FeteDuLivre'],
          sources: [
            { network: 'x', accounts: ['saint_etienne_'] },
            { network: 'mastodon', instance: mastodon.baseUrl, accounts: ['ville@ville.social'] },
            { network: 'bluesky', accounts: ['ville.bsky.social'] },
          ],
        },
      ],
    }),
  );
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      ...fakeNetworksEnv({
        x,
        xToken: X_TOKEN,
        mastodon,
        mastodonToken: MASTODON_TOKEN,
        bluesky,
        blueskyHandle: 'ville.bsky.social',
        blueskyAppPassword: APP_PASSWORD,
      }),
    },
    ['--config', file],
  );
  server = await startServer(config, { log: memoryLogger() });
  browser = await launchBrowser();
  const serverUrl = `http://127.0.0.1:${server.port}`;
  host = await startHostPage(embedSnippet(serverUrl, FEED));
  page = await browser.newPage();
  await page.goto(host.url);
}, 60_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await host?.close();
  await server?.close();
  await Promise.all([x?.close(), mastodon?.close(), bluesky?.close()]);
});

describe('one wall across X, Mastodon and Bluesky', () => {
  it('shows the three networks’ posts, then pushed posts from Mastodon and Jetstream within 2 s with no poll in between', async () => {
    await until(async () => {
      const ids = await shownIds();
      // X's ids are X's own; the others carry their network.
      const networks = new Set(ids.map((id) => /^(mastodon|bluesky):/.exec(id)?.[1] ?? 'x'));
      return networks.size === 3;
    }, 30_000);
    // Both streams are live: polling is only a slow backfill now.
    const live = (source: string) =>
      server.runtime.health('operator').some((h) => h.source === source && (h as { live?: boolean }).live === true);
    await until(() => live('mastodon') && live('bluesky'), 10_000);
    const polls = pollCalls();

    const status = mastodon.publish(mastodonStatus('En direct du stand #FeteDuLivre'));
    const mastoId = `mastodon:${mastodon.host}:${status.id}`;
    const mastoMs = await until(async () => (await shownIds()).includes(mastoId), 5_000);

    const post = bluesky.publish(blueskyPost('Superbe ambiance #FeteDuLivre'));
    const bskyId = `bluesky:${post.uri}`;
    const bskyMs = await until(async () => (await shownIds()).some((id) => id === bskyId), 5_000);

    expect(mastoMs, 'Mastodon push to the widget').toBeLessThan(2_000);
    expect(bskyMs, 'Jetstream push to the widget').toBeLessThan(2_000);
    expect(pollCalls(), 'a poll ran between the pushes').toBe(polls);
  }, 90_000);

  it('falls back to polling when a stream dies, and loses nothing', async () => {
    const before = await shownIds();
    // Mastodon's stream is cut and refused: what is posted meanwhile comes by polling.
    mastodon.streaming.refuse(503);
    mastodon.streaming.drop();
    const missed = mastodon.addStatus(mastodonStatus('Posté pendant la coupure #FeteDuLivre'));
    await until(async () => (await shownIds()).includes(`mastodon:${mastodon.host}:${missed.id}`), 20_000);

    // Jetstream too.
    bluesky.jetstream.refuse(1000);
    bluesky.jetstream.drop();
    const quiet = bluesky.addPost(blueskyPost('Posté sans Jetstream #FeteDuLivre'));
    await until(async () => (await shownIds()).includes(`bluesky:${quiet.uri}`), 20_000);
    // Nothing shown before is lost.
    const after = await shownIds();
    expect(before.filter((id) => !after.includes(id))).toEqual([]);
  }, 60_000);
});
