/** A hidden X post never comes back: not after a re-poll that returns it, nor the compliance re-check, nor a restart. */
import { describe, expect, it } from 'vitest';
import { fakeTweet } from '../../fake-x/fake-x-server.js';
import { tempDir } from '../../helpers/config.js';
import { useFakeX, xServices } from '../../helpers/services.js';

const TOKEN = 'x-moderation-test-token-0123';
const camille = { username: 'camille', role: 'moderator' } as const;
const h = useFakeX(TOKEN);

describe('a hidden X post', () => {
  it('stays hidden after a re-poll that returns it, after the compliance re-check and after a restart', async () => {
    const dataDir = tempDir();
    const start = () => xServices(h, TOKEN, dataDir);
    const author = h.x.addUser({ username: 'troll' });
    const spam = h.x.addTweet(
      fakeTweet({ author, text: 'Pub #FeteDuLivre', createdAt: new Date(h.clock.now() - 60_000).toISOString() }).tweet,
    );
    const a = start();
    await a.engines.get('fete')!.pollNow();
    expect(a.delivery.snapshot('fete')!.posts.map((p) => p.id)).toEqual([spam.id]);
    a.moderation.decide('fete', spam.id, 'hide', camille, 'publicité');
    expect(a.delivery.snapshot('fete')!.posts).toEqual([]);

    // X sends it again (the cursor is lost): it stays hidden.
    a.store.db.prepare('DELETE FROM cursors').run();
    const searches = h.x.callsTo('search/recent').length;
    await a.engines.get('fete')!.pollNow();
    expect(h.x.callsTo('search/recent').length).toBe(searches + 1);
    expect(a.store.posts.item('fete', spam.id)).toMatchObject({ visibility: 'hidden', decision: 'hidden' });
    expect(a.delivery.snapshot('fete')!.posts).toEqual([]);

    // The compliance re-check a day later: still on X, still hidden here.
    await h.clock.advance(24 * 3_600_000 + 1_000);
    await a.engines.get('fete')!.pollNow();
    expect(a.store.posts.item('fete', spam.id)).toMatchObject({ visibility: 'hidden' });
    a.store.close();

    // A restart, and X sends it once more.
    const b = start();
    expect(b.delivery.snapshot('fete')!.posts).toEqual([]);
    b.store.db.prepare('DELETE FROM cursors').run();
    await b.engines.get('fete')!.pollNow();
    expect(b.store.posts.item('fete', spam.id)).toMatchObject({ visibility: 'hidden' });
    expect(b.delivery.snapshot('fete')!.posts).toEqual([]);
  });

  it('deleted on X, it is removed for good, and nothing brings it back', async () => {
    const s = xServices(h, TOKEN);
    const author = h.x.addUser({ username: 'lecteur42' });
    const post = h.x.addTweet(
      fakeTweet({ author, text: 'Bonjour #FeteDuLivre', createdAt: new Date(h.clock.now() - 60_000).toISOString() })
        .tweet,
    );
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    h.x.state.deleted.add(post.id);
    await h.clock.advance(24 * 3_600_000 + 1_000);
    await engine.pollNow();
    expect(s.store.posts.item('fete', post.id)).toBeUndefined();
    h.x.state.deleted.delete(post.id);
    s.store.db.prepare('DELETE FROM cursors').run();
    await engine.pollNow();
    expect(s.store.posts.item('fete', post.id)).toBeUndefined();
    expect(s.delivery.snapshot('fete')!.posts).toEqual([]);
  });
});
