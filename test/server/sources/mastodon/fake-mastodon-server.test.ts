import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMastodon, type FakeMastodon } from '../../../fake-mastodon/fake-mastodon-server.js';
import { fakeAccount, fakeStatus, mastodonIdTime, statusHtml } from '../../../fake-mastodon/statuses.js';

let fake: FakeMastodon;
const now = Date.parse('2026-10-10T10:00:00Z');

beforeEach(async () => {
  fake = await startFakeMastodon({ token: 't', now: () => now });
});
afterEach(async () => {
  await fake.close();
});

async function get(path: string, token?: string) {
  const res = await fetch(fake.baseUrl + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('fake Mastodon instance', () => {
  it('pages like Mastodon: Link with next after a full page and prev, no Link on an empty page', async () => {
    const town = fake.addAccount(fakeAccount({ username: 'ville' }));
    const list = Array.from({ length: 3 }, (_, i) => fake.addStatus(fakeStatus({ account: town, text: `#Fete ${i}` })));
    const first = await get('/api/v1/timelines/tag/fete?limit=2&local=true');
    expect(first.body.map((s: { id: string }) => s.id)).toEqual([list[2]!.id, list[1]!.id]);
    expect(first.headers.get('link')).toBe(
      `<${fake.baseUrl}/api/v1/timelines/tag/fete?local=true&limit=2&max_id=${list[1]!.id}>; rel="next", ` +
        `<${fake.baseUrl}/api/v1/timelines/tag/fete?local=true&limit=2&min_id=${list[2]!.id}>; rel="prev"`,
    );
    const last = await get(`/api/v1/timelines/tag/fete?limit=2&max_id=${list[1]!.id}`);
    expect(last.body).toHaveLength(1);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const ahead = await get(`/api/v1/timelines/tag/fete?min_id=${list[0]!.id}&limit=1`);
    expect(ahead.body.map((s: { id: string }) => s.id)).toEqual([list[1]!.id]);
    const empty = await get(`/api/v1/timelines/tag/fete?min_id=${list[2]!.id}`);
    expect(empty.body).toEqual([]);
    expect(empty.headers.get('link')).toBeNull();
  });

  it('announces its limits with a reset in ISO 8601 with microseconds, then answers 429', async () => {
    fake.state.rateLimit.remaining = 1;
    const ok = await get('/api/v2/instance');
    expect(ok.headers.get('x-ratelimit-reset')).toBe('2026-10-10T10:05:00.000000Z');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('0');
    const refused = await get('/api/v2/instance');
    expect(refused).toMatchObject({ status: 429, body: { error: 'Too many requests' } });
  });

  it('refuses restricted hashtag timelines without a token, and wrong tokens everywhere', async () => {
    fake.state.hashtagFeeds = { local: 'public', remote: 'authenticated' };
    expect((await get('/api/v1/timelines/tag/fete')).status).toBe(401);
    expect((await get('/api/v1/timelines/tag/fete?local=true')).status).toBe(200);
    expect((await get('/api/v1/timelines/tag/fete', 't')).status).toBe(200);
    expect(await get('/api/v2/instance', 'nope')).toMatchObject({
      status: 401,
      body: { error: 'The access token is invalid' },
    });
    const instance = await get('/api/v2/instance');
    expect(instance.body.configuration.timelines_access.hashtag_feeds).toEqual({
      local: 'public',
      remote: 'authenticated',
    });
  });

  it('writes status HTML as Mastodon does, with ids that carry their time', () => {
    const claire = fakeAccount({ username: 'claire' });
    const { html, tags, mentions } = statusHtml('Bonjour @claire & #Fête\nvoir https://www.example.fr/a\n\nfin', [
      claire,
    ]);
    expect(html).toBe(
      '<p>Bonjour <span class="h-card" translate="no"><a href="https://ville.social/@claire" class="u-url mention">@<span>claire</span></a></span> &amp; ' +
        '<a href="https://ville.social/tags/F%C3%AAte" class="mention hashtag" rel="tag">#<span>Fête</span></a><br />' +
        'voir <a href="https://www.example.fr/a" target="_blank" rel="nofollow noopener noreferrer" translate="no">' +
        '<span class="invisible">https://www.</span><span class="">example.fr/a</span><span class="invisible"></span></a></p><p>fin</p>',
    );
    expect(tags).toEqual(['Fête']);
    expect(mentions).toEqual([claire]);
    const status = fakeStatus({ account: claire, text: 'x' });
    expect(mastodonIdTime(status.id)).toBe(Date.parse(status.created_at));
  });
});
