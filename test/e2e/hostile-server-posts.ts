/**
 * Hostile posts as they reach the server's own pages (the archive, the HTML fragment): the XSS
 * corpus in every field, with images this server serves, and an announcement carrying the whole
 * hostile markup corpus as if it had reached the store unsanitised.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Config } from '../../server/config.js';
import type { Post } from '../../server/contract.js';
import { memoryLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { testConfig } from '../helpers/config.js';
import { ScriptedSource } from '../helpers/scripted-source.js';
import { startImageHost } from '../server/media/image-host.js';
import { launchBrowser } from './browser.js';
import { testPost } from '../helpers/posts.js';
import { hostileAnnouncements } from '../widget/helpers/hostile-markup.js';
import { hostilePosts, JS, textPayloads } from './xss-payloads.js';

/** A 1×1 PNG: a real image for the proxy to serve. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The image paths `hostileServerPosts` shows, to serve on the fake image host. */
export const HOSTILE_IMAGE_PATHS = ['/media/photo.png', '/profile_images/1/avatar.png'];

/** Posts whose own images (served by this server) carry payloads in every attribute they fill. */
export function hostileOwnImagePosts(): Post[] {
  return textPayloads()
    .slice(0, 12)
    .map((payload, i) =>
      testPost(500 + i, {
        source: 'x',
        author: {
          name: payload,
          handle: `h${i}`,
          avatarUrl: '/media/pbs.twimg.com/profile_images/1/avatar.png',
          profileUrl: `https://x.com/h${i}?q="><img src=x onerror=${JS(2000 + i)}>`,
        },
        media: [
          {
            kind: 'photo',
            url: `/media/pbs.twimg.com/media/photo.png?name=${i}`,
            previewUrl: '/media/pbs.twimg.com/media/photo.png',
            alt: payload,
            width: 1,
            height: 1,
          },
        ],
        lang: `en"><script>${JS(3000 + i)}</script>`,
        sensitive: i % 2 === 0,
      }),
    );
}

/** One announcement carrying the whole hostile markup corpus, as if it had reached the store unsanitised. */
export function hostileAnnouncement(): Post {
  return {
    ...testPost(900),
    id: 'annonce-hostile',
    source: 'organisers',
    url: '',
    author: { name: `<img src=x onerror=${JS(4000)}>`, handle: '', avatarUrl: '', profileUrl: '' },
    html: `<p>Annonce <strong>importante</strong></p>${hostileAnnouncements().join('')}`,
    text: 'Annonce importante',
    entities: { hashtags: [], mentions: [], links: [] },
  };
}

/** Every hostile post: the corpus, the corpus with this server's images, the hostile announcement. */
export function hostileServerPosts(): Post[] {
  return [...hostilePosts(), ...hostileOwnImagePosts(), hostileAnnouncement()];
}

/**
 * The real server with every hostile post on its wall (one poll of a scripted source), its images
 * served from a fake image host; `closers` gets what to close.
 */
export async function startHostileServer(
  config: Partial<Config>,
  closers: (() => Promise<void> | void)[],
): Promise<{ server: RunningServer; hostile: Post[] }> {
  const images = await startImageHost();
  closers.push(images.close);
  for (const path of HOSTILE_IMAGE_PATHS) images.serveImage(path, 'image/png', PNG);
  const source = new ScriptedSource();
  const hostile = hostileServerPosts();
  const server = await startServer(testConfig(config), {
    log: memoryLogger(),
    sourceFor: () => source,
    startEngines: false,
    mediaUpstream: () => images.base,
  });
  closers.push(() => server.close());
  source.posts(hostile);
  await server.engines.get('saint-etienne')!.pollNow();
  return { server, hostile };
}

/** Launches Chromium once for a test file (closed after it, with everything in `closers`). */
export function useBrowser(): { browser: () => Browser; closers: (() => Promise<void> | void)[] } {
  let browser: Browser | undefined;
  const closers: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await browser?.close();
  });
  return { browser: () => browser!, closers };
}
