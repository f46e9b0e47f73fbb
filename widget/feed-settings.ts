/**
 * How the settings of a <commune-feed> read: its layout, its theme, the
 * numbers of each layout (posts kept, ticker speed, wall rotation) and the
 * server's address. Pure.
 */
import { serverRoot } from './connection/snapshot-request.js';

/** How the feed is laid out. */
export type FeedMode = 'list' | 'ticker' | 'wall';

/** Colour theme; `auto` follows the visitor's system setting. */
export type FeedTheme = 'light' | 'dark' | 'auto';

const MAX_LIMIT = 500;
/** The ticker never holds more posts than this, whatever `limit` says. */
const TICKER_LIMIT = 20;

/** The `mode` attribute; anything else is the list. */
export function toMode(value: string | null): FeedMode {
  return value === 'ticker' || value === 'wall' ? value : 'list';
}

/** The `theme` attribute; anything else is the light theme. */
export function toTheme(value: string | null): FeedTheme {
  return value === 'dark' || value === 'auto' ? value : 'light';
}

/** Most posts kept in this mode: `limit` when it is a positive number (capped), else `fallback`. */
export function maxPosts(mode: FeedMode, limit: number, fallback: number): number {
  const whole = Math.floor(Number(limit));
  const max = Number.isFinite(whole) && whole > 0 ? Math.min(whole, MAX_LIMIT) : fallback;
  return mode === 'ticker' ? Math.min(max, TICKER_LIMIT) : max;
}

/** A positive number, or the default. */
export function positive(value: number, fallback: number): number {
  return Number(value) > 0 ? Number(value) : fallback;
}

/** The feed server's root from `src`, against which relative URLs in posts resolve; undefined when `src` is no URL. */
export function serverBase(src: string): string | undefined {
  try {
    return serverRoot(src);
  } catch {
    return undefined;
  }
}
