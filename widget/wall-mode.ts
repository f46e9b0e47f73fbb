/**
 * The wall mode, a file of its own in the build (`commune-feed-wall-<hash>.js`):
 * the wall's view, its rotation, its fit to the screen, the QR code (with
 * lean-qr) and its styles. Fetched with the first `mode="wall"` (wall-loader.ts),
 * so pages that show a list or a ticker never load it. It borrows Lit and the
 * post view from the main module (wall-shared.ts).
 */
export { provide } from './wall-shared.js';
export { WallFit } from './wall-fit.js';
export { WallRotation, callToAction, renderWall } from './wall-view.js';
export { wallStyles } from './wall-view.styles.js';
