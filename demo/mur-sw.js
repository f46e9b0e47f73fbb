/**
 * The big screen's service worker: when the hall's Wi-Fi or the server is
 * down, a reload of the wall page still shows the last posts, marked stale,
 * instead of a blank screen. Plain script, no build step.
 *
 * /demo/mur.js registers it with the scope "/mur.html": it controls the wall
 * page only, never the town site, the console, nor the API calls of other pages.
 *
 * - The page, its stylesheet and script, the widget (`/commune-feed.js`) and
 *   the files it loads lazily (the wall mode's `/commune-feed-wall-<hash>.js`,
 *   the sanitizer's `/commune-feed-sanitize-<hash>.js`): network
 *   first, within a short timeout; the last good copy when the network fails.
 * - The feed's snapshot (`/api/feeds/<id>`): network first too; when the
 *   network fails, the last good copy marked `stale`, so the widget says
 *   "Dernière mise à jour à …". Each new copy brings the images of its posts
 *   into the cache, and the images no post shows any more leave it.
 * - Images: network first, then the cache.
 * - The event stream and every other request: the network, untouched.
 */

/** Bump when what the caches hold changes shape: `activate` deletes the other versions. */
const VERSION = 'v1';
const CACHE_PREFIX = 'commune-feed-wall-';
/** The page, its files and the feed's snapshot. */
const SHELL_CACHE = `${CACHE_PREFIX}shell-${VERSION}`;
/** The images of the posts in the last snapshot. */
const MEDIA_CACHE = `${CACHE_PREFIX}media-${VERSION}`;
/** Past this, a slow network loses to the cache (the network answer still refreshes it). */
const NETWORK_TIMEOUT_MS = 3000;

/** The server's root: the worker is served from it (`/mur-sw.js`). */
const ROOT = new URL('./', self.location.href);
const WIDGET_URL = new URL('commune-feed.js', ROOT).href;
/** Fetched at install, so the first reload without network already has them. */
const SHELL_FILES = [
  'mur.html',
  'demo/mur.css',
  'demo/mur.js',
  'commune-feed.js',
  'demo/media/avatars/saint_etienne_.svg',
];
/** The widget's lazily loaded files, as its bundle imports them. */
const WIDGET_CHUNK = /\.\/(commune-feed-[A-Za-z0-9_-]+\.js)/g;
const SNAPSHOT_PATH = /^api\/feeds\/[^/]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL_FILES.map((file) => new Request(new URL(file, ROOT), { cache: 'no-cache' })));
      await keepWidgetChunks(cache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = [SHELL_CACHE, MEDIA_CACHE];
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && !current.includes(name)) await caches.delete(name);
      }
      // The wall page that registered the worker is served by it from now on, without a reload.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname)) return;
  const path = url.pathname.slice(ROOT.pathname.length);
  if (SNAPSHOT_PATH.test(path)) {
    // Asked of the server itself: the browser's HTTP cache may hold a copy younger than the outage.
    const options = { store: SHELL_CACHE, lookIn: [SHELL_CACHE], fromCache: markStale, cache: 'no-cache' };
    event.respondWith(networkFirst(event, options));
  } else if (path.startsWith('api/')) {
    // The event stream is never cached, nor anything else of the API.
  } else if (request.destination === 'image') {
    // Kept with each snapshot (keepImages), not as they load: the cache holds one feed's worth.
    event.respondWith(networkFirst(event, { lookIn: [MEDIA_CACHE, SHELL_CACHE] }));
  } else {
    event.respondWith(networkFirst(event, { store: SHELL_CACHE, lookIn: [SHELL_CACHE] }));
  }
});

/**
 * The network's answer, unless it fails, errs (5xx, as a proxy answers
 * while the server is down) or takes longer than the timeout while a cache
 * holds a copy: then the copy, through `fromCache`. A good answer (200) goes
 * into the `store` cache, even one that arrives after the timeout.
 */
async function networkFirst(event, { store, lookIn, fromCache = (response) => response, cache }) {
  const { request } = event;
  // The request as it came (a navigation stays one), unless a cache mode is asked for.
  const network = fetch(request, cache && { cache }).then((response) => {
    if (store && response.status === 200)
      event.waitUntil(keep(store, request.url, response.clone()).catch(() => undefined));
    return response;
  });
  // The worker stays up until the network answer, if any, is stored.
  event.waitUntil(network.catch(() => undefined));
  const copy = async () => {
    for (const name of lookIn) {
      const cache = await caches.open(name);
      const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
      if (cached) return fromCache(cached);
    }
    return undefined;
  };
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([network, timeout]);
    if (response && response.status < 500) return response;
    return (await copy()) ?? response ?? (await network);
  } catch (error) {
    const cached = await copy();
    if (cached) return cached;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The copy says what it is: an old state of the feed ("Dernière mise à jour à …"). */
async function markStale(response) {
  const body = await response.json();
  return new Response(JSON.stringify({ ...body, stale: true }), {
    status: 200,
    // No ETag: once the server is back, the widget's next request gets the fresh snapshot, not a 304.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** Stores a good answer, by URL; the widget's bundle and the snapshot bring their files with them. */
async function keep(cacheName, url, response) {
  const cache = await caches.open(cacheName);
  const key = url.split('?')[0];
  if (SNAPSHOT_PATH.test(key.slice(ROOT.href.length))) {
    const posts = await response
      .clone()
      .json()
      .then(
        (body) => body?.posts,
        () => undefined,
      );
    if (!Array.isArray(posts)) return;
    await cache.put(key, response);
    // Relative image URLs in posts are relative to the server that sent them.
    await keepImages(posts, new URL('../../', key));
    return;
  }
  await cache.put(key, response);
  if (key === WIDGET_URL) await keepWidgetChunks(cache);
}

/** Caches the files the widget's bundle loads lazily, and forgets those of older bundles. */
async function keepWidgetChunks(cache) {
  const widget = await cache.match(WIDGET_URL);
  if (!widget) return;
  const wanted = new Set([...(await widget.text()).matchAll(WIDGET_CHUNK)].map(([, file]) => new URL(file, ROOT).href));
  for (const request of await cache.keys()) {
    const file = request.url.slice(ROOT.href.length);
    if (/^commune-feed-.+\.js$/.test(file) && !wanted.has(request.url)) await cache.delete(request);
  }
  const cached = new Set((await cache.keys()).map((request) => request.url));
  await Promise.all([...wanted].filter((url) => !cached.has(url)).map((url) => cache.add(url).catch(() => undefined)));
}

/** The images the wall shows for these posts: avatars and media, of quoted posts too. */
function imagesOf(posts, base) {
  const urls = new Set();
  const add = (value) => {
    if (typeof value !== 'string' || !value) return;
    try {
      const url = new URL(value, base);
      if (url.origin === ROOT.origin) urls.add(url.href);
    } catch {
      // Not a URL: the widget shows no image either.
    }
  };
  for (const post of posts) {
    for (const shown of [post, post?.quoted]) {
      if (!shown || typeof shown !== 'object') continue;
      add(shown.author?.avatarUrl);
      for (const media of Array.isArray(shown.media) ? shown.media.slice(0, 4) : [])
        add(media?.previewUrl || media?.url);
    }
  }
  return urls;
}

/** Keeps exactly the images of the last snapshot: the cache never grows past one feed's worth. */
async function keepImages(posts, base) {
  const wanted = imagesOf(posts, base);
  const cache = await caches.open(MEDIA_CACHE);
  const cached = new Set();
  for (const request of await cache.keys()) {
    if (wanted.has(request.url)) cached.add(request.url);
    else await cache.delete(request);
  }
  await Promise.all(
    [...wanted]
      .filter((url) => !cached.has(url))
      .map(async (url) => {
        try {
          const response = await fetch(url);
          if (response.status === 200) await cache.put(url, response);
        } catch {
          // The image stays out of the cache; the next snapshot tries again.
        }
      }),
  );
}
