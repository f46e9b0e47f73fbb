/**
 * The Bluesky source's one cursor for polls and pushes, pure: the read mark of each account feed
 * and hashtag search (`reader.ts`), and Jetstream's time cursor, so that a stream resumes where it
 * stopped after a restart. The source is its only author; what cannot be read is an empty cursor.
 */
import { decodeMark, encodeMark, type ReadMark } from './reader.js';

export interface BlueskyCursor {
  /** By read (`author:<handle>` or `tag:<tag>`): where it stopped. */
  marks: Record<string, ReadMark>;
  /** Jetstream's cursor (Unix microseconds) of the last event handled; null before any. */
  jetstreamUs: number | null;
}

export function decodeBlueskyCursor(cursor: string | null | undefined): BlueskyCursor {
  const empty: BlueskyCursor = { marks: {}, jetstreamUs: null };
  if (!cursor) return empty;
  let value: { v?: unknown; marks?: unknown; jetstreamUs?: unknown };
  try {
    value = JSON.parse(cursor) as typeof value;
  } catch {
    return empty;
  }
  if (typeof value !== 'object' || value === null || value.v !== 2) return empty;
  if (typeof value.marks === 'object' && value.marks !== null) {
    for (const [key, text] of Object.entries(value.marks)) {
      const mark = typeof text === 'string' ? decodeMark(text) : null;
      if (mark) empty.marks[key] = mark;
    }
  }
  const us = value.jetstreamUs;
  if (typeof us === 'number' && Number.isSafeInteger(us) && us > 0) empty.jetstreamUs = us;
  return empty;
}

/** The cursor to store, with only the reads in `keep` (the feed's current accounts and hashtags). */
export function encodeBlueskyCursor(cursor: BlueskyCursor, keep: readonly string[]): string {
  const marks: Record<string, string> = {};
  for (const key of keep) {
    const text = encodeMark(cursor.marks[key] ?? null);
    if (text) marks[key] = text;
  }
  return JSON.stringify({ v: 2, marks, jetstreamUs: cursor.jetstreamUs });
}

/** The later of two Jetstream cursors (a push and a poll may each know a different one). */
export function laterUs(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return Math.max(a, b);
}

/** The stored cursor with Jetstream's time moved on to `us` (never back). */
export function withJetstreamUs(stored: string | null, us: number | null): string {
  const cursor = decodeBlueskyCursor(stored);
  cursor.jetstreamUs = laterUs(cursor.jetstreamUs, us);
  return encodeBlueskyCursor(cursor, Object.keys(cursor.marks));
}
