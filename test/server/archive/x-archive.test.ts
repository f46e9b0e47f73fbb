/** An archive of an X feed follows X: a post deleted on X leaves the archive, whatever its place on the page. */
import { describe, expect, it } from 'vitest';
import { fakeTweet } from '../../fake-x/fake-x-server.js';
import { useFakeX, xServices } from '../../helpers/services.js';

const TOKEN = 'x-archive-test-token-0123456789';
const alex = { username: 'alex', role: 'admin' } as const;
const h = useFakeX(TOKEN);
const DAY = 86_400_000;

describe('the archive of an X feed', () => {
  it("loses a post deleted on X at the next compliance re-check, even one past the live wall's snapshot, and reads no new post", async () => {
    // The live wall keeps 1 post; the archive shows 3.
    const s = xServices(h, TOKEN, undefined, { snapshotSize: 1 });
    const author = h.x.addUser({ username: 'lecteur42' });
    const tweets = [3, 2, 1].map((minutes, i) =>
      h.x.addTweet(
        fakeTweet({
          author,
          text: `Souvenir ${i} #FeteDuLivre`,
          createdAt: new Date(h.clock.now() - minutes * 60_000).toISOString(),
        }).tweet,
      ),
    );
    const engine = s.engines.get('fete')!;
    await engine.pollNow();
    s.registry.setState('fete', 'archived', alex);
    const page = async () => (await s.app.request('/archive/fete')).text();
    const before = await page();
    for (const t of tweets) expect(before).toContain(t.id);
    const etag = (await s.app.request('/archive/fete')).headers.get('etag');

    // The oldest, which only the archive shows, is deleted on X; a new post comes under the hashtag.
    h.x.state.deleted.add(tweets[0]!.id);
    h.x.addTweet(
      fakeTweet({ author, text: 'Après coup #FeteDuLivre', createdAt: new Date(h.clock.now()).toISOString() }).tweet,
    );
    const searches = h.x.callsTo('search/recent').length;
    await h.clock.advance(DAY + 1_000);
    await engine.pollNow();

    const lookups = h.x.callsTo('tweets');
    expect(lookups.at(-1)!.query.ids!.split(',').sort()).toEqual(tweets.map((t) => t.id).sort());
    expect(h.x.callsTo('search/recent')).toHaveLength(searches);
    expect(s.store.posts.item('fete', tweets[0]!.id)).toBeUndefined();
    const after = await s.app.request('/archive/fete');
    expect(after.headers.get('etag')).not.toBe(etag);
    const html = await after.text();
    expect(html).not.toContain(tweets[0]!.id);
    expect(html).toContain(tweets[1]!.id);
    expect(html).not.toContain('Après coup');
  });
});
