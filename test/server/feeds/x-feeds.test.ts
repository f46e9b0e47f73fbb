/** Feeds changed at run time, on X (the fake X API through the real client): what reaches X, and when. */
import { describe, expect, it } from 'vitest';
import { fakeTweet } from '../../fake-x/fake-x-server.js';
import { useFakeX, X_FEED, xServices } from '../../helpers/services.js';

const TOKEN = 'x-feeds-test-token-0123456789';
const admin = { username: 'camille', role: 'admin' } as const;
const feed = X_FEED;
const h = useFakeX(TOKEN);

function start() {
  return xServices(h, TOKEN);
}

function tweet(text: string, minutesAgo = 1) {
  const { x, clock } = h;
  const author = x.addUser({ username: `user${Math.floor(Math.random() * 1e9)}` });
  return x.addTweet(
    fakeTweet({ author, text, createdAt: new Date(clock.now() - minutesAgo * 60_000).toISOString() }).tweet,
  );
}

describe('an X feed changed at run time', () => {
  it('reads a new hashtag from its recent history at the next poll: the first page only, of the bounded size', async () => {
    const s = start();
    tweet('Ouverture #FeteDuLivre');
    const salon = Array.from({ length: 30 }, (_, i) => tweet(`Stand ${i} #Salon`, 60 - i));
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    expect(s.store.recentPosts('fete', 100)).toHaveLength(1);

    s.registry.update('fete', { ...feed, hashtags: ['FeteDuLivre', 'Salon'] }, admin);
    const before = h.x.callsTo('search/recent').length;
    await engine.pollNow();
    const calls = h.x.callsTo('search/recent').slice(before);
    expect(calls.map((c) => c.query)).toEqual([
      expect.objectContaining({ query: '(#FeteDuLivre OR #Salon) -is:retweet', max_results: '20' }),
    ]);
    expect(calls[0]!.query.since_id).toBeUndefined();
    const shown = s.store.recentPosts('fete', 100).map((p) => p.id);
    expect(shown).toHaveLength(21);
    expect(shown).toContain(salon.at(-1)!.id);
  });

  it('makes no call to X at all while paused, and stays fresh on the wall', async () => {
    const s = start();
    tweet('Ouverture #FeteDuLivre');
    const engine = s.engines.get('fete')!;
    s.runtime.start();
    await h.clock.advance(0);
    await until(() => engine.health()[0]!.lastSuccessAt !== null);
    s.registry.setState('fete', 'paused', admin);
    const calls = h.x.calls.length;
    await h.clock.advance(2 * 86_400_000);
    await engine.pollNow();
    await new Promise((r) => setTimeout(r, 50));
    expect(h.x.calls.length).toBe(calls);
    expect(engine.status().stale).toBe(false);
    expect(engine.health()[0]).toMatchObject({ state: 'paused', stale: false, nextPollAt: null });
    expect(s.delivery.snapshot('fete')!.status.stale).toBe(false);
  });

  it('reads no new post once archived, but keeps the compliance re-check, which removes deleted posts', async () => {
    const s = start();
    const kept = tweet('Merci à tous #FeteDuLivre');
    const deleted = tweet('Bientôt supprimé #FeteDuLivre');
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    expect(s.store.recentPosts('fete', 10).map((p) => p.id)).toEqual([deleted.id, kept.id]);

    s.registry.setState('fete', 'archived', admin);
    tweet('Trop tard #FeteDuLivre');
    h.x.state.deleted.add(deleted.id);
    const before = h.x.calls.length;
    await engine.pollNow();
    await h.clock.advance(24 * 3_600_000 + 2_000);
    await engine.pollNow();
    const endpoints = h.x.calls.slice(before).map((c) => c.endpoint);
    expect(endpoints).toEqual(['tweets']);
    expect(s.store.recentPosts('fete', 10).map((p) => p.id)).toEqual([kept.id]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
