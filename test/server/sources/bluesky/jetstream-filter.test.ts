import { describe, expect, it } from 'vitest';
import {
  createFrameFilter,
  frameTimeUs,
  MAX_WANTED_DIDS,
  subscribeUrl,
} from '../../../../server/sources/bluesky/jetstream-filter.js';
import type { BskyPostRecord, JetstreamEvent } from '../../../../server/sources/bluesky/lexicon.js';
import { fakeDid, tagFacet } from '../../../fake-bluesky/fixtures.js';

const town = fakeDid('ville-saint-etienne.fr');
const stranger = fakeDid('someone.bsky.social');
let time = 1_760_000_000_000_000;

function frame(
  did: string,
  record: BskyPostRecord | undefined,
  operation = 'create',
  collection = 'app.bsky.feed.post',
): string {
  const event: JetstreamEvent = {
    did,
    time_us: ++time,
    kind: 'commit',
    commit: { rev: '3l', operation, collection, rkey: `3k${time}`, ...(record ? { record } : {}) },
  };
  return JSON.stringify(event);
}

function post(text: string, extra: Partial<BskyPostRecord> = {}): BskyPostRecord {
  return { $type: 'app.bsky.feed.post', text, createdAt: '2026-10-10T09:00:00.000Z', ...extra };
}

describe('Jetstream frames sorted for a feed', () => {
  const filter = createFrameFilter({ hashtags: ['#FêteDuLivre', 'saintetienne'], dids: [town] });

  it('passes on posts with a followed hashtag in a facet, in the text or as an outline tag, in any case', () => {
    const text = 'Venez à la #FÊTEDULIVRE';
    for (const record of [
      post(text, { facets: [tagFacet(text, '#FÊTEDULIVRE')] }),
      post('Sans facette #fêtedulivre !'),
      post('Tag hors texte', { tags: ['SaintEtienne'] }),
    ]) {
      expect(filter(frame(stranger, record))).toMatchObject({ kind: 'post', did: stranger, operation: 'create' });
    }
  });

  it('passes on any post of a followed account', () => {
    expect(filter(frame(town, post('Bonjour')))).toMatchObject({ kind: 'post', did: town });
  });

  it('skips posts that only look close, with their cursor', () => {
    for (const record of [
      post('La fête du livre sans dièse'),
      post('#FêteDuLivre2026 est un autre tag'),
      post('mail#FêteDuLivre collé'),
      post('Un lien https://ville.fr/#FêteDuLivre'),
    ]) {
      const raw = frame(stranger, record);
      expect(filter(raw)).toEqual({ kind: 'skip', timeUs: JSON.parse(raw).time_us });
    }
  });

  it('passes on every deletion of a post, and skips other collections, identities and accounts', () => {
    expect(filter(frame(stranger, undefined, 'delete'))).toMatchObject({ kind: 'delete', did: stranger });
    expect(filter(frame(town, { $type: 'app.bsky.feed.like' }, 'create', 'app.bsky.feed.like'))).toMatchObject({
      kind: 'skip',
    });
    const identity = JSON.stringify({ did: town, time_us: ++time, kind: 'identity', identity: { did: town } });
    expect(filter(identity)).toEqual({ kind: 'skip', timeUs: time });
  });

  it('passes on a rewritten post', () => {
    expect(filter(frame(town, post('Corrigé'), 'update'))).toMatchObject({ kind: 'post', operation: 'update' });
  });

  it('tells unreadable frames apart', () => {
    expect(filter('garbage')).toEqual({ kind: 'bad', reason: 'not JSON' });
    expect(filter(`{"did":"${town}","time_us":12,"kind":"commit","commit":{"operation":"delete"`)).toEqual({
      kind: 'bad',
      reason: 'not JSON',
    });
    expect(filter('{"text":"#FêteDuLivre"}')).toEqual({ kind: 'bad', reason: 'not a Jetstream event' });
  });

  it('reads the cursor without parsing the frame', () => {
    expect(frameTimeUs('{"did":"x","time_us":1725911162329308,"kind":"commit"}')).toBe(1725911162329308);
    expect(frameTimeUs('{"did":"x"}')).toBeUndefined();
    expect(frameTimeUs('{"time_us":"soon"}')).toBeUndefined();
  });
});

describe('the subscription URL', () => {
  const base = 'wss://jetstream2.us-east.bsky.network/subscribe';

  it('asks for posts only, from the cursor', () => {
    const url = new URL(subscribeUrl(base, { hashtags: ['a'], dids: [town] }, 1725911162329308));
    expect(url.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
    expect(url.searchParams.get('cursor')).toBe('1725911162329308');
    // Hashtags need the whole stream: no wantedDids.
    expect(url.searchParams.getAll('wantedDids')).toEqual([]);
  });

  it('asks for the accounts only when the feed follows no hashtag, and not too many', () => {
    const url = new URL(subscribeUrl(base, { hashtags: [], dids: [town, stranger] }));
    expect(url.searchParams.getAll('wantedDids')).toEqual([town, stranger]);
    expect(url.searchParams.has('cursor')).toBe(false);
    const many = Array.from({ length: MAX_WANTED_DIDS + 1 }, (_, i) => fakeDid(`a${i}`));
    expect(new URL(subscribeUrl(base, { hashtags: [], dids: many })).searchParams.has('wantedDids')).toBe(false);
  });
});
