import { describe, expect, it } from 'vitest';
import type { Post } from '../../../server/contract.js';
import { FeedEngine, ENGINE_BACKOFF } from '../../../server/engine/feed-engine.js';
import { parseFeedSettings } from '../../../server/feeds/settings.js';
import { memoryLogger } from '../../../server/log.js';
import { comesFirst, crossPostKey, isDuplicate } from '../../../server/moderation/cross-post.js';
import { Store } from '../../../server/store/store.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { testPost } from '../../helpers/posts.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';

const feed = parseFeedSettings({
  id: 'fete',
  title: 'Fête',
  hashtags: ['FeteDuLivre'],
  sources: [
    { network: 'x', accounts: ['saint_etienne_'] },
    { network: 'mastodon', instance: 'https://mastodon.social', accounts: ['ville@mastodon.social'] },
    { network: 'bluesky', accounts: ['ville.bsky.social'] },
  ],
});
const T0 = Date.parse('2026-10-10T09:00:00Z');

function own(network: 'x' | 'mastodon' | 'bluesky', text: string, minutes: number, extra: Partial<Post> = {}): Post {
  const handle = { x: 'saint_etienne_', mastodon: 'ville@mastodon.social', bluesky: 'ville.bsky.social' }[network];
  const base = testPost(0);
  return {
    ...base,
    id: `${network}:${minutes}:${text.length}`,
    source: network,
    text,
    createdAt: new Date(T0 + minutes * 60_000).toISOString(),
    author: { ...base.author, handle },
    ...extra,
  };
}

describe('cross-posted announcements', () => {
  it('compares texts without case, spaces, punctuation, links, hashtags or mentions', () => {
    expect(crossPostKey('Ouverture  à 10 h ! #FeteDuLivre https://t.co/abc @saint_etienne_')).toBe('ouverture à 10 h');
    expect(crossPostKey('ouverture à 10 h\n#FeteDuLivre https://ville.fr/fete')).toBe('ouverture à 10 h');
    expect(crossPostKey('#FeteDuLivre https://ville.fr')).toBe('');
  });

  it('keeps the first posted, and on a tie X, then Mastodon, then Bluesky', () => {
    const x = { post: own('x', 'Ouverture', 1), network: 'x' };
    const m = { post: own('mastodon', 'Ouverture', 0), network: 'mastodon' };
    const b = { post: own('bluesky', 'Ouverture', 1), network: 'bluesky' };
    expect(comesFirst(m, x)).toBe(true);
    expect(comesFirst(x, b)).toBe(true);
    expect(comesFirst(b, x)).toBe(false);
  });

  it('only hides a later copy by the town’s own account on another network, within minutes', () => {
    const first = { post: own('x', 'Ouverture à 10 h #FeteDuLivre', 0), network: 'x' };
    const copy = (post: Post, network = post.source) => isDuplicate({ post, network }, [first], feed);
    expect(copy(own('mastodon', 'OUVERTURE à 10 h. https://ville.fr', 3))).toBe(true);
    expect(copy(own('mastodon', 'Ouverture à 10 h', 30))).toBe(false);
    expect(copy(own('mastodon', 'Fermeture à 18 h', 3))).toBe(false);
    expect(copy(own('x', 'Ouverture à 10 h', 3))).toBe(false);
    const resident = own('bluesky', 'Ouverture à 10 h', 2);
    expect(copy({ ...resident, author: { ...resident.author, handle: 'habitante.bsky.social' } })).toBe(false);
    expect(copy(own('bluesky', 'Ouverture à 10 h', 2, { repostedBy: resident.author }))).toBe(false);
  });
});

describe('the wall with cross-posts', () => {
  function engineWith(store: Store, clock: FakeClock, sources: Record<string, ScriptedSource>) {
    return new FeedEngine({
      feed,
      sourceFor: (entry) => sources[entry.network]!,
      policyFor: () => ({
        intervals: { fastMs: 60_000, slowMs: 60_000, defaultMs: 60_000, backoff: ENGINE_BACKOFF },
        imageHosts: [],
      }),
      store,
      clock,
      log: memoryLogger(),
      onChanges: () => {},
      onStatus: () => {},
    });
  }

  it('shows the town’s announcement once, whichever network brings it first, and lets organisers see the copy', async () => {
    const store = new Store({ location: ':memory:' });
    const clock = new FakeClock(T0 + 3_600_000);
    const sources = { x: new ScriptedSource(), mastodon: new ScriptedSource(), bluesky: new ScriptedSource() };
    const later = own('bluesky', 'Ouverture à 10 h #FeteDuLivre', 2);
    const earlier = own('x', 'Ouverture à 10 h ! #FeteDuLivre', 0);
    // Bluesky's copy (posted later) arrives first and is shown; then X's, posted first, takes its place.
    sources.bluesky.push({ posts: [later], cursor: 'b' });
    const engine = engineWith(store, clock, sources);
    await engine.pollNow();
    expect(store.recentPosts('fete', 10).map((p) => p.id)).toEqual([later.id]);
    sources.x.push({ posts: [earlier], cursor: 'x' });
    await engine.pollNow();
    expect(store.recentPosts('fete', 10).map((p) => p.id)).toEqual([earlier.id]);
    expect(store.posts.item('fete', later.id)).toMatchObject({ visibility: 'filtered', reason: 'duplicate' });
    // A Mastodon copy arriving afterwards is filtered at once; a change of rules keeps it so.
    const third = own('mastodon', 'ouverture à 10 h', 1);
    sources.mastodon.push({ posts: [third], cursor: 'm' });
    await engine.pollNow();
    expect(store.posts.item('fete', third.id)).toMatchObject({ visibility: 'filtered', reason: 'duplicate' });
    engine.reconfigure({ ...feed, display: { ...feed.display, replies: true } });
    expect(store.recentPosts('fete', 10).map((p) => p.id)).toEqual([earlier.id]);
    await engine.stop();
  });
});
