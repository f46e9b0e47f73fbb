import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSnapshot } from '../../../server/contract.js';
import { ConflictError, InputError, NotFoundError } from '../../../server/errors.js';
import { FeedRegistry, type FeedChangeCause, type FeedRecord } from '../../../server/feeds/registry.js';
import { parseFeedSettings } from '../../../server/feeds/settings.js';
import { memoryLogger } from '../../../server/log.js';
import { testConfig, testFeed } from '../../helpers/config.js';
import { testPost } from '../../helpers/posts.js';
import { cleanUp, server, services } from '../../helpers/services.js';
import { openSse } from '../../helpers/sse-client.js';

afterEach(cleanUp);

const admin = { username: 'camille', role: 'admin' } as const;

describe('the config file and the console', () => {
  it('seeds the store on the first start, keeps the console edits while the file entry is unchanged, and lets a changed entry win, audited as config-file', () => {
    const config = testConfig();
    const first = services(config);
    expect(first.registry.get('saint-etienne')).toMatchObject({
      origin: 'file',
      updatedBy: 'config-file',
      fileAppliedAt: null,
    });
    first.registry.update(
      'saint-etienne',
      { ...first.registry.get('saint-etienne')!.settings, title: 'Titre de la console' },
      admin,
    );
    first.store.close();

    // Same file: the store (the console's edit) wins.
    const second = services(config);
    expect(second.registry.get('saint-etienne')).toMatchObject({ origin: 'console', updatedBy: 'camille' });
    expect(second.registry.get('saint-etienne')!.settings.title).toBe('Titre de la console');
    expect(second.delivery.snapshot('saint-etienne')!.feed.title).toBe('Titre de la console');
    second.store.close();

    // The operator edited the file: the file wins, and the audit log says so.
    const edited = { ...config, feeds: [testFeed({ title: 'Titre du fichier' })] };
    const third = services(edited, { clock: second.clock });
    const record = third.registry.get('saint-etienne')!;
    expect(record).toMatchObject({ origin: 'file', updatedBy: 'config-file' });
    expect(record.settings.title).toBe('Titre du fichier');
    expect(record.fileAppliedAt).toBe(new Date(third.clock.now()).toISOString());
    const [entry] = third.moderation.audit('saint-etienne', { limit: 1 });
    expect(entry).toMatchObject({ actor: 'config-file', action: 'feed.config-file', undoable: false });
    third.store.close();

    // And once applied, the same file no longer overrides the console.
    const fourth = services(edited);
    fourth.registry.update(
      'saint-etienne',
      { ...fourth.registry.get('saint-etienne')!.settings, title: 'Encore la console' },
      admin,
    );
    fourth.store.close();
    expect(services(edited).registry.get('saint-etienne')!.settings.title).toBe('Encore la console');
  });

  it('keeps running a feed made in the console, and one removed from the file, as they were left', () => {
    const config = testConfig();
    const a = services(config);
    a.registry.create({ id: 'roanne', title: 'Roanne' }, admin);
    a.store.close();
    const b = services({ ...config, feeds: [testFeed({ id: 'autre', title: 'Autre' })] });
    expect(b.registry.list().map((r) => [r.settings.id, r.origin])).toEqual([
      ['autre', 'file'],
      ['roanne', 'console'],
      ['saint-etienne', 'file'],
    ]);
    expect(b.engines.has('roanne')).toBe(true);
    expect(b.engines.has('saint-etienne')).toBe(true);
  });
});

describe('FeedRegistry', () => {
  it('refuses settings with an error naming the field, a taken id, an unknown feed, and X when X is not configured', () => {
    const { registry } = services();
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => registry.create({ id: 'b', title: '' }, admin))).toMatchObject({ field: 'title' });
    expect(refusal(() => registry.create({ id: 'saint-etienne', title: 'x' }, admin))).toBeInstanceOf(ConflictError);
    expect(refusal(() => registry.update('nope', { title: 'x' }, admin))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => registry.update('saint-etienne', { id: 'other', title: 'x' }, admin))).toMatchObject({
      field: 'id',
    });
    const x = refusal(() =>
      registry.create({ id: 'x', title: 'X', sources: [{ network: 'x', accounts: ['ville'] }] }, admin),
    );
    expect(x).toBeInstanceOf(InputError);
    expect(x).toMatchObject({ field: 'sources[0].network', message: expect.stringMatching(/X_BEARER_TOKEN/) });
    expect(registry.list().map((r) => r.settings.id)).toEqual(['saint-etienne']);
  });

  it('changes nothing and audits nothing when settings are saved unchanged', () => {
    const s = services();
    const entries = s.moderation.audit('saint-etienne').length;
    s.registry.update('saint-etienne', s.registry.get('saint-etienne')!.settings, admin);
    expect(s.moderation.audit('saint-etienne')).toHaveLength(entries);
    expect(s.registry.get('saint-etienne')).toMatchObject({ origin: 'file', updatedBy: 'config-file' });
  });

  it('serves a feed created at run time at once, snapshot and live events, and polls it without a restart', async () => {
    const s = await server(testConfig(), { startEngines: true });
    const created = s.registry.create({ id: 'roanne', title: 'Fête de Roanne', hashtags: ['Roanne'] }, admin);
    expect(created).toMatchObject({ origin: 'console', updatedBy: 'camille' });
    const list = (await (await fetch(`${s.url}/api/feeds`)).json()) as { feeds: { id: string }[] };
    expect(list.feeds.map((f) => f.id)).toContain('roanne');
    const snapshot = (await (await fetch(`${s.url}/api/feeds/roanne`)).json()) as FeedSnapshot;
    expect(snapshot).toMatchObject({ feed: { id: 'roanne', title: 'Fête de Roanne' }, posts: [], alert: null });
    const sse = await openSse(`${s.url}/api/feeds/roanne/events?since=${snapshot.revision}`);
    s.sources.get('roanne').posts([testPost(1, { id: 'r1' })]);
    await s.clock.advance(0);
    const [frame] = await sse.waitFor((f) => f.event === 'post');
    expect(JSON.parse(frame!.data!).id).toBe('r1');
    sse.close();
    const [entry] = s.moderation.audit('roanne', {});
    expect(entry).toMatchObject({ actor: 'camille', action: 'feed.create', summary: 'Flux créé' });
  });

  it('applies new settings at the next poll, with a feed event to open streams when the title or hashtags change', async () => {
    const s = await server(testConfig({ feeds: [testFeed({ pollSeconds: 60 })] }), { startEngines: true });
    const source = s.sources.get('saint-etienne');
    source.push({ posts: [testPost(1)] });
    await s.clock.advance(0);
    const before = (await (await fetch(`${s.url}/api/feeds/saint-etienne`)).json()) as FeedSnapshot;
    const sse = await openSse(`${s.url}/api/feeds/saint-etienne/events?since=${before.revision}`);

    const settings = s.registry.get('saint-etienne')!.settings;
    s.registry.update(
      'saint-etienne',
      { ...settings, title: 'Nouveau titre', hashtags: ['FeteDuLivre', 'FDL2026'] },
      admin,
    );
    const [frame] = await sse.waitFor((f) => f.event === 'feed');
    expect(JSON.parse(frame!.data!)).toEqual({
      id: 'saint-etienne',
      title: 'Nouveau titre',
      hashtags: ['FeteDuLivre', 'FDL2026'],
      accounts: ['saint_etienne_'],
    });
    expect(Number(frame!.id)).toBe(before.revision + 1);
    const after = await fetch(`${s.url}/api/feeds/saint-etienne`);
    expect(((await after.json()) as FeedSnapshot).feed.title).toBe('Nouveau titre');
    // The next poll still comes when it was due, on the same stream.
    source.posts([testPost(2)]);
    await s.clock.advance(60_000);
    await sse.waitFor((f) => f.event === 'post');
    expect(source.polls).toBe(2);
    sse.close();
  });

  it('takes the posts of a removed hashtag off the wall, with remove events, and brings them back with it', async () => {
    // An X feed whose source is scripted: X is configured, never called.
    const s = await server(testConfig({ x: { bearerToken: 'scripted-x-token-0123456789' } }));
    const town = { name: 'Ville', handle: 'saint_etienne_', avatarUrl: '', profileUrl: '' };
    const resident = { ...town, handle: 'lecteur42' };
    const none = { hashtags: [], mentions: [], links: [] };
    const feed = {
      id: 'fete',
      title: 'Fête',
      sources: [{ network: 'x', accounts: ['saint_etienne_'] }],
      hashtags: ['A', 'B'],
    };
    s.registry.create(feed, admin);
    s.sources
      .get('fete', 'x')
      .posts([
        testPost(1, { source: 'x', author: resident, text: 'Message #A', entities: none }),
        testPost(2, { source: 'x', author: resident, text: 'Message #B', entities: none }),
        testPost(3, { source: 'x', author: town, text: 'Sans hashtag', entities: none }),
      ]);
    await s.engines.get('fete')!.pollNow();
    const snapshot = (await (await fetch(`${s.url}/api/feeds/fete`)).json()) as FeedSnapshot;
    expect(snapshot.posts.map((p) => p.id)).toEqual(['p3', 'p2', 'p1']);
    const sse = await openSse(`${s.url}/api/feeds/fete/events?since=${snapshot.revision}`);

    s.registry.update('fete', { ...feed, hashtags: ['B'] }, admin);
    const [removed] = await sse.waitFor((f) => f.event === 'remove');
    expect(JSON.parse(removed!.data!)).toEqual({ id: 'p1' });
    const now = (await (await fetch(`${s.url}/api/feeds/fete`)).json()) as FeedSnapshot;
    expect(now.posts.map((p) => p.id)).toEqual(['p3', 'p2']);
    expect(s.moderation.queue('fete', { visibility: ['filtered'] }).map((i) => [i.post.id, i.reason])).toEqual([
      ['p1', 'no-match'],
    ]);

    s.registry.update('fete', feed, admin);
    await sse.waitFor((f) => f.event === 'post' && JSON.parse(f.data!).id === 'p1');
    sse.close();
  });
});

describe('FeedRegistry.reload', () => {
  it('tells its listeners of each feed another instance created or changed in the store, and of nothing else', () => {
    const s = services();
    // Another instance on the same store (Redis mode: its writes reach this store through the change log).
    const other = new FeedRegistry({ store: s.store, clock: s.clock, log: memoryLogger(), networks: ['demo'] });
    const heard: [string, string | undefined, FeedChangeCause][] = [];
    const title = (r: FeedRecord | undefined) => r?.settings.title;
    s.registry.listen((record, previous, cause) => heard.push([record.settings.id, title(previous), cause]));

    expect(s.registry.reload()).toEqual([]);
    expect(heard).toEqual([]);

    other.create({ id: 'roanne', title: 'Roanne' }, admin);
    other.update('saint-etienne', { ...other.get('saint-etienne')!.settings, title: 'Nouveau titre' }, admin);
    const added = s.registry.reload();
    expect(added.map((r) => r.settings.id)).toEqual(['roanne']);
    expect(heard).toEqual([
      ['roanne', undefined, 'reload'],
      ['saint-etienne', 'Fête du livre', 'reload'],
    ]);
    expect(s.registry.get('saint-etienne')!.settings.title).toBe('Nouveau titre');

    heard.length = 0;
    s.registry.reload();
    expect(heard).toEqual([]);
    s.registry.setState('roanne', 'paused', admin);
    expect(heard).toEqual([['roanne', 'Roanne', 'write']]);
  });
});

describe('feed settings in the rules', () => {
  it('judges every stored post again when the rules change (hidden for a blocked account, shown again when unblocked; kept on the wall in mode pre)', () => {
    const { registry, store } = services();
    const s = registry.get('saint-etienne')!.settings;
    store.ingest(
      'saint-etienne',
      'demo',
      { posts: [testPost(1, { author: { ...testPost(1).author, handle: 'lecteur' } })], removals: [], cursor: null },
      1,
    );
    const blocked = { ...s.moderation, blockedAccounts: ['lecteur'] };
    registry.update('saint-etienne', parseFeedSettings({ ...s, moderation: blocked }), admin);
    expect(store.posts.item('saint-etienne', 'p1')).toMatchObject({ visibility: 'hidden', reason: 'blocked-account' });
    registry.update('saint-etienne', s, admin);
    expect(store.posts.item('saint-etienne', 'p1')).toMatchObject({ visibility: 'shown' });
    // Mode pre holds what comes next and withdraws nothing visitors already see.
    registry.update('saint-etienne', parseFeedSettings({ ...s, moderation: { ...s.moderation, mode: 'pre' } }), admin);
    expect(store.posts.item('saint-etienne', 'p1')).toMatchObject({ visibility: 'shown' });
  });
});
