/**
 * Jetstream's frames sorted in our process, pure: Jetstream carries every public post of the
 * network (hundreds a second), and a feed wants a handful. Each frame's cursor (`time_us`) is read
 * without parsing it; a frame that cannot concern the feed (not from a followed account, no
 * followed hashtag anywhere in its bytes, not a delete) is dropped before `JSON.parse`; the few
 * left are parsed and matched exactly (facets, text and outline tags, in any letter case).
 */
import { POST_COLLECTION, type BskyPostRecord, type JetstreamEvent } from './lexicon.js';
import { recordHashtags } from './richtext.js';

export interface JetstreamFollow {
  /** Hashtags, with or without `#`, any letter case. */
  hashtags: readonly string[];
  /** Accounts' dids. */
  dids: readonly string[];
}

export type FrameOutcome =
  /** Not for this feed (`timeUs` still moves the cursor on). */
  | { kind: 'skip'; timeUs?: number }
  /** A post created (or rewritten) that the feed follows. */
  | { kind: 'post'; timeUs: number; did: string; rkey: string; record: BskyPostRecord; operation: 'create' | 'update' }
  /** A post deleted, by anyone: the caller knows whether it showed it. */
  | { kind: 'delete'; timeUs: number; did: string; rkey: string }
  /** Not a Jetstream event. */
  | { kind: 'bad'; reason: string };

/** Most dids put in the URL (`wantedDids`); beyond, the stream is filtered here only. */
export const MAX_WANTED_DIDS = 100;

const TIME_KEY = '"time_us":';
const DID_KEY = '"did":"';
const OPERATION_KEY = '"operation":"';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The number after `"time_us":`, read in place (no allocation), or undefined. */
export function frameTimeUs(raw: string): number | undefined {
  const at = raw.indexOf(TIME_KEY);
  if (at < 0) return undefined;
  let value = 0;
  let digits = 0;
  for (let i = at + TIME_KEY.length; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    digits++;
  }
  return digits > 0 && digits <= 17 ? value : undefined;
}

/** The event's did, read in place: Jetstream writes it first. */
function frameDid(raw: string): string | undefined {
  const at = raw.indexOf(DID_KEY);
  if (at < 0) return undefined;
  const end = raw.indexOf('"', at + DID_KEY.length);
  return end < 0 ? undefined : raw.slice(at + DID_KEY.length, end);
}

/** True for a commit deleting a record; `operation` comes early in a frame, so the search stops early. */
function isDeletion(raw: string): boolean {
  const at = raw.indexOf(OPERATION_KEY);
  return at >= 0 && raw.startsWith('delete"', at + OPERATION_KEY.length);
}

/**
 * True when a followed tag shows in the frame's bytes after `#` (the text) or `"` (a facet's or an
 * outline tag's value). The tags alone are searched for (a literal search, fast), and the character
 * before each hit checked.
 */
function mentionsTag(raw: string, tags: RegExp): boolean {
  tags.lastIndex = 0;
  for (let m = tags.exec(raw); m; m = tags.exec(raw)) {
    const before = raw.charCodeAt(m.index - 1);
    if (before === 0x23 || before === 0x22 || before === 0xff03) return true;
  }
  return false;
}

/** The Jetstream URL for a feed: posts only, its accounts only when it follows no hashtag, from `cursorUs`. */
export function subscribeUrl(base: string, follow: JetstreamFollow, cursorUs?: number): string {
  const url = new URL(base);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  if (follow.hashtags.length === 0 && follow.dids.length > 0 && follow.dids.length <= MAX_WANTED_DIDS) {
    for (const did of follow.dids) url.searchParams.append('wantedDids', did);
  }
  if (cursorUs !== undefined && cursorUs > 0) url.searchParams.set('cursor', String(Math.floor(cursorUs)));
  return url.toString();
}

/** Sorts frames for one feed's follows. */
export function createFrameFilter(follow: JetstreamFollow): (raw: string) => FrameOutcome {
  const dids = new Set(follow.dids);
  const tags = new Set(follow.hashtags.map((t) => t.replace(/^[#＃]/, '').toLowerCase()).filter(Boolean));
  const tagWords = tags.size > 0 ? new RegExp([...tags].map(escapeRegExp).join('|'), 'giu') : undefined;

  return (raw) => {
    const timeUs = frameTimeUs(raw);
    if (!isDeletion(raw)) {
      const did = dids.size > 0 ? frameDid(raw) : undefined;
      const followed = did !== undefined && dids.has(did);
      if (!followed && !(tagWords && mentionsTag(raw, tagWords))) {
        // Cheap checks only: a frame that is not JSON at all is still told apart.
        return timeUs === undefined && !raw.startsWith('{')
          ? { kind: 'bad', reason: 'not JSON' }
          : { kind: 'skip', ...(timeUs !== undefined ? { timeUs } : {}) };
      }
    }
    let event: JetstreamEvent;
    try {
      event = JSON.parse(raw) as JetstreamEvent;
    } catch {
      return { kind: 'bad', reason: 'not JSON' };
    }
    if (!event || typeof event !== 'object' || typeof event.did !== 'string' || !Number.isSafeInteger(event.time_us)) {
      return { kind: 'bad', reason: 'not a Jetstream event' };
    }
    const commit = event.commit;
    const skip: FrameOutcome = { kind: 'skip', timeUs: event.time_us };
    if (event.kind !== 'commit' || commit?.collection !== POST_COLLECTION || typeof commit.rkey !== 'string')
      return skip;
    if (commit.operation === 'delete')
      return { kind: 'delete', timeUs: event.time_us, did: event.did, rkey: commit.rkey };
    if (commit.operation !== 'create' && commit.operation !== 'update') return skip;
    const record = commit.record;
    if (!record || typeof record !== 'object') return skip;
    let wanted = dids.has(event.did);
    if (!wanted && tags.size > 0) for (const tag of recordHashtags(record)) if (tags.has(tag)) wanted = true;
    if (!wanted) return skip;
    return {
      kind: 'post',
      timeUs: event.time_us,
      did: event.did,
      rkey: commit.rkey,
      record,
      operation: commit.operation,
    };
  };
}
