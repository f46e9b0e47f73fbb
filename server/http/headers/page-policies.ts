/**
 * The security policies of our own pages: the demo site (the town's sample pages, the wall, the
 * configurator), the organisers' console, the archive page, and the images this server proxies. `headers.ts` puts
 * them on the answers; nothing else spells a policy.
 */

/** The demo pages' policy: the widget must work under a strict CSP with Trusted Types. */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
  "require-trusted-types-for 'script'",
  // commune-feed-wall: the wall page's policy for its service worker's address (demo/mur.js).
  'trusted-types lit-html dompurify commune-feed commune-feed-wall',
].join('; ');

/**
 * The console's policy: its own origin only, never framed (a console inside
 * another site's frame could be clicked for the organiser), no inline script
 * or style, Trusted Types (the announcements' preview goes through the
 * widget's sanitizer and its `commune-feed` policy).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dompurify commune-feed',
].join('; ');

/**
 * The archive page's policy: nothing but its own stylesheet and images; no script at all (there is
 * none), no form, no `<base>`, no plugin.
 */
export const ARCHIVE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

/** An image opened on its own (a visitor's "open image in new tab") runs nothing and loads nothing. */
export const MEDIA_CSP = "default-src 'none'";

/**
 * Powerful features none of our pages uses, turned off for them and for anything they frame: a
 * script that got in could not ask for the camera, the microphone or the position. Only features
 * Chromium knows, so that no page logs a warning about the header itself.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

/**
 * `Referrer-Policy` of the demo pages: the browser's default, stated (links out give the origin only).
 * The console says less: `same-origin` (its URLs name feeds and posts under moderation).
 */
export const DEMO_REFERRER_POLICY = 'strict-origin-when-cross-origin';
export const CONSOLE_REFERRER_POLICY = 'same-origin';
/** The archive page sends no referrer with its links out. */
export const ARCHIVE_REFERRER_POLICY = 'no-referrer';
