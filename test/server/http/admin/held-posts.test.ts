/**
 * What the public routes (snapshot, live events, images) expose of held and hidden posts:
 * nothing, until an organiser approves; organisers see held posts' images through their own route.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot, Post } from '../../../../server/contract.js';
import { TEST_ADMIN_TOKEN, adminRequest, signedInAs } from '../../../helpers/admin.js';
import { testConfig, testFeed } from '../../../helpers/config.js';
import { testPost } from '../../../helpers/posts.js';
import { cleanUp, server } from '../../../helpers/services.js';
import { openSse } from '../../../helpers/sse-client.js';
import { startImageHost } from '../../media/image-host.js';

const IMAGE = '/media/pbs.twimg.com/media/a.jpg?name=small';
const AVATAR = '/media/pbs.twimg.com/profile_images/1/x_400x400.png';
const resident = { name: 'Un lecteur', handle: 'lecteur42', avatarUrl: AVATAR, profileUrl: '' };
const photo = { kind: 'photo' as const, url: IMAGE, previewUrl: IMAGE, alt: 'Le bal', width: 1, height: 1 };

let closeHost: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanUp();
  await closeHost?.();
});

/** The real server on a socket, a feed in `mode`, a resident's post with a photo, and a moderator signed in. */
async function start(mode: 'post' | 'pre') {
  const host = await startImageHost();
  closeHost = host.close;
  const s = await server(testConfig({ feeds: [testFeed({ moderation: { mode } })] }), {
    adminToken: TEST_ADMIN_TOKEN,
    mediaUpstream: () => host.base,
  });
  const { cookie } = await signedInAs(s.auth, 'moderator', 'mona');
  const post: Post = testPost(7, { author: resident, media: [photo] });
  const snapshot = async () => (await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
  const publicImage = (url = IMAGE) => fetch(`${s.url}${url}`);
  const adminImage = (headers: Record<string, string> = { cookie }) => fetch(`${s.url}/api/admin${IMAGE}`, { headers });
  const decide = (action: string) =>
    adminRequest(s.app, 'feeds/saint-etienne/posts/p7/decision', { body: { action }, cookie });
  return { s, host, post, snapshot, publicImage, adminImage, decide };
}

describe('in pre mode', () => {
  it('a post reaches no public route (snapshot, live events, images) until it is approved, then it reaches them all', async () => {
    const { s, post, snapshot, publicImage, adminImage, decide } = await start('pre');
    const initial = await snapshot();
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${initial.revision}`);
    s.sources.get('saint-etienne').posts([post]);
    await s.engines.get('saint-etienne')!.pollNow();

    const held = await snapshot();
    expect(held.posts).toEqual([]);
    expect(held.revision).toBe(initial.revision);
    expect((await publicImage()).status).toBe(404);
    expect((await publicImage(AVATAR)).status).toBe(404);
    // Organisers see it, image included.
    const queue = await adminRequest(s.app, 'feeds/saint-etienne/queue?visibility=held', { token: TEST_ADMIN_TOKEN });
    expect((await queue.json()).items.map((i: { post: Post }) => i.post.id)).toEqual(['p7']);
    expect((await adminImage()).status).toBe(200);
    // Once an organiser's browser has it in the shared cache, visitors still do not.
    expect((await publicImage()).status).toBe(404);
    expect(sse.frames.filter((f) => f.event === 'post')).toEqual([]);

    expect((await decide('approve')).status).toBe(200);
    const [event] = await sse.waitFor((f) => f.event === 'post');
    expect(JSON.parse(event!.data!)).toMatchObject({ id: 'p7' });
    expect((await snapshot()).posts.map((p) => p.id)).toEqual(['p7']);
    const image = await publicImage();
    expect(image.status).toBe(200);
    expect(image.headers.get('cache-control')).toContain('public');
    expect((await publicImage(AVATAR)).status).toBe(200);
    sse.close();
  });
});

describe('a hidden post', () => {
  it('leaves every open wall and the snapshot, and its images, cached while it was shown, are no longer served to visitors', async () => {
    const { s, post, snapshot, publicImage, decide } = await start('post');
    s.sources.get('saint-etienne').posts([post]);
    await s.engines.get('saint-etienne')!.pollNow();
    expect((await publicImage()).status).toBe(200);
    const shown = await snapshot();
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${shown.revision}`);

    expect((await decide('hide')).status).toBe(200);
    const [removed] = await sse.waitFor((f) => f.event === 'remove');
    expect(JSON.parse(removed!.data!)).toEqual({ id: 'p7' });
    expect((await snapshot()).posts).toEqual([]);
    const image = await publicImage();
    expect(image.status).toBe(404);
    expect((await image.json()).error.message).toBe('no post on display shows this image');
    sse.close();
  });
});

describe('GET /api/admin/media/<host>/…', () => {
  it('serves a held post’s image to organisers only, kept by no cache and shown by no other site', async () => {
    const { s, post, adminImage, host } = await start('pre');
    s.sources.get('saint-etienne').posts([post]);
    await s.engines.get('saint-etienne')!.pollNow();
    const res = await adminImage();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('JPEG-BYTES');
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();

    const anonymous = await adminImage({});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { status: 401, message: 'authentication required' } });
    // An image no stored post shows is not fetched: the route is no open proxy.
    const other = await fetch(`${s.url}/api/admin/media/pbs.twimg.com/media/other.jpg`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(other.status).toBe(404);
    expect((await other.json()).error.message).toBe('no stored post shows this image');
    expect(host.hits).toEqual(['/media/a.jpg?name=small']);
  });
});
