/**
 * The big screen's own script: keeps the wall on screen through network
 * outages. It registers the service worker (`/mur-sw.js`) for this page only,
 * and keeps the worker's copy of the feed's snapshot close to what the wall
 * shows, since the wall runs for days without a reload while posts arrive
 * over the event stream, which the worker never sees. Plain ES module, no
 * build step; the page's strict CSP with Trusted Types allows it.
 */

const WORKER = '/mur-sw.js';
/** The worker serves the wall page and nothing else of this site. */
const SCOPE = '/mur.html';
/** At most one refresh of the worker's copy in this time, however busy the feed. */
const REFRESH_DELAY_MS = 10_000;

const wall = document.querySelector('commune-feed');

/**
 * Trusted Types (`require-trusted-types-for 'script'`) want the worker's
 * address from a policy: this one vouches for that one address only.
 */
function workerUrl() {
  if (!globalThis.trustedTypes) return WORKER;
  const policy = trustedTypes.createPolicy('commune-feed-wall', {
    createScriptURL: (url) => {
      if (url !== WORKER) throw new TypeError(`not the wall's service worker: ${url}`);
      return url;
    },
  });
  return policy.createScriptURL(WORKER);
}

/** Fetches the feed's snapshot through the worker, which keeps it (it is the same server, `src=""`). */
function refreshSnapshot() {
  if (!wall || !navigator.serviceWorker.controller) return;
  const url = new URL(`/api/feeds/${encodeURIComponent(wall.getAttribute('feed') ?? '')}`, location.href);
  fetch(url, { headers: { accept: 'application/json' } }).catch(() => {
    // Offline: the worker's copy stays as it was.
  });
}

if ('serviceWorker' in navigator && wall) {
  navigator.serviceWorker.register(workerUrl(), { scope: SCOPE }).catch((error) => {
    console.warn('commune-feed: the wall works without its offline copy:', error);
  });
  // The first time, the worker takes over after the widget read its snapshot: give it one now.
  navigator.serviceWorker.addEventListener('controllerchange', refreshSnapshot);
  let pending;
  wall.addEventListener('commune-feed-update', (event) => {
    // A snapshot already came through the worker; live changes did not.
    if (event.detail.reason === 'snapshot' || pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      refreshSnapshot();
    }, REFRESH_DELAY_MS);
  });
}
