/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AlertChange, FeedInfo, FeedSnapshot, FeedStatus, Post } from '../../server/contract.js';
import { FeedConnection } from '../../widget/feed-connection.js';
import type { FeedConnectionError, FeedEnvironment, FeedTarget } from '../../widget/feed-connection.js';
import { FakeEventSource, FakeFeedServer, FakeTimers, fakeEnvironment, flush } from './helpers/fakes.js';
import { NOW, fixtureSnapshot, makePost } from './helpers/fixture-feed.js';

/** A host that records what the connection hands it. */
class TestHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  target: FeedTarget = { src: 'https://flux.example', feed: 'saint-etienne' };
  snapshots: FeedSnapshot[] = [];
  posts: Post[] = [];
  removed: string[] = [];
  statuses: FeedStatus[] = [];
  alerts: AlertChange[] = [];
  feeds: FeedInfo[] = [];
  errors: FeedConnectionError[] = [];
  updates = 0;
  readonly updateComplete = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  connect(): void {
    for (const controller of this.controllers) controller.hostConnected?.();
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
  update(): void {
    for (const controller of this.controllers) controller.hostUpdate?.();
  }
}

let server: FakeFeedServer;
let timers: FakeTimers;
let host: TestHost;

function connection(
  environment: FeedEnvironment = fakeEnvironment(server, timers),
  options: { maxStreamFailures?: number } = {},
): FeedConnection {
  return new FeedConnection(host, {
    target: () => host.target,
    environment: () => environment,
    onSnapshot: (snapshot) => host.snapshots.push(snapshot),
    onPost: (post) => host.posts.push(post),
    onRemove: ({ id }) => host.removed.push(id),
    onStatus: (status) => host.statuses.push(status),
    onAlert: (change) => host.alerts.push(change),
    onFeed: (feed) => host.feeds.push(feed),
    onError: (error) => host.errors.push(error),
    pollInterval: 30_000,
    baseDelay: 1_000,
    maxDelay: 60_000,
    ...options,
  });
}

async function started(feed: FeedConnection): Promise<FakeEventSource> {
  host.connect();
  await waitUntil(() => FakeEventSource.current, 'the stream opens after the snapshot');
  expect(feed.state).to.equal('live');
  return FakeEventSource.current as FakeEventSource;
}

beforeEach(() => {
  FakeEventSource.reset();
  server = new FakeFeedServer(fixtureSnapshot());
  timers = new FakeTimers(NOW);
  host = new TestHost();
});

describe('FeedConnection', () => {
  it('loads the snapshot, then opens the stream from its revision', async () => {
    const feed = connection();
    expect(feed.state).to.equal('idle');
    const source = await started(feed);
    expect(host.snapshots).to.have.length(1);
    expect(source.url).to.equal('https://flux.example/api/feeds/saint-etienne/events?since=41');
  });

  it('stays idle without a feed', async () => {
    host.target = { src: '', feed: '' };
    const feed = connection();
    host.connect();
    await flush();
    expect(feed.state).to.equal('idle');
    expect(server.requests).to.have.length(0);
  });

  it('drops events the snapshot already shows after a reset', async () => {
    const source = await started(connection());
    server.hold = true;
    server.publish(fixtureSnapshot({ revision: 50 }));
    source.emit('reset', { stale: false, updatedAt: '2026-07-14T12:40:00Z' }, 45);
    // Arrive while the snapshot is on its way: 49 is in it, 51 is not.
    source.emit('post', makePost('a', '2026-07-14T12:40:00Z'), 49);
    source.emit('post', makePost('b', '2026-07-14T12:40:01Z'), 51);
    expect(host.posts).to.have.length(0);
    server.release();
    await waitUntil(() => host.snapshots.length >= 2);
    expect(host.posts.map((post) => post.id)).to.deep.equal(['b']);
  });

  it('ignores replayed events older than what it holds', async () => {
    const source = await started(connection());
    source.emit('post', makePost('old', '2026-07-14T12:00:00Z'), 40);
    source.emit('post', makePost('new', '2026-07-14T12:41:00Z'), 42);
    expect(host.posts.map((post) => post.id)).to.deep.equal(['new']);
  });

  it('reports malformed events and keeps going', async () => {
    const source = await started(connection());
    source.emit('post', '{not json', 42);
    source.emit('post', { id: 'no-author' }, 43);
    source.emit('remove', { id: '1003' }, 44);
    expect(host.errors.map((error) => error.phase)).to.deep.equal(['data', 'data']);
    expect(host.removed).to.deep.equal(['1003']);
  });

  it('hands on alert and feed events in order, and drops replayed ones', async () => {
    const source = await started(connection());
    const alert = { id: 'al', text: 'Orage', createdAt: '2026-07-14T12:00:00Z' };
    const info = { id: 'saint-etienne', title: 'Bal', hashtags: ['Bal14'], accounts: [] };
    source.emit('alert', { alert }, 42);
    source.emit('feed', info, 43);
    source.emit('alert', { alert: null }, 44);
    source.emit('alert', { alert }, 43);
    expect(host.alerts).to.deep.equal([{ alert }, { alert: null }]);
    expect(host.feeds).to.deep.equal([info]);
  });

  it('reports malformed alert and feed events', async () => {
    const source = await started(connection());
    source.emit('alert', { alert: { id: 'no-text' } }, 42);
    source.emit('alert', {}, 43);
    source.emit('feed', { title: 'no id' }, 44);
    expect(host.errors.map((error) => error.message)).to.deep.equal([
      'Malformed alert event',
      'Malformed alert event',
      'Malformed feed event',
    ]);
    expect(host.alerts).to.deep.equal([]);
  });

  it('lets the browser reconnect by itself after a network drop', async () => {
    const feed = connection();
    const source = await started(feed);
    source.fail(false);
    expect(feed.state).to.equal('reconnecting');
    expect(source.closed).to.equal(false);
    expect(timers.delays()).to.deep.equal([]);
    source.open();
    expect(feed.state).to.equal('live');
  });

  it('falls back to polling at once when the server refuses the stream, and probes it again later', async () => {
    const feed = connection();
    const refused = await started(feed);
    expect(server.requests).to.have.length(1);
    // A 503 (too many viewers): the browser closes the stream before it ever opened.
    refused.fail(true);
    expect(refused.closed).to.equal(true);
    expect(feed.state).to.equal('polling');
    expect(host.errors.map((error) => error.message)).to.deep.equal(['The server refused the event stream']);
    // A poll at once, with If-None-Match; the next one in 30 s, a probe of the stream in about a minute.
    expect(server.requests).to.have.length(2);
    expect(server.requests[1]?.headers.get('if-none-match')).to.equal('"r41"');
    expect(timers.delays()).to.deep.equal([30_000, 60_000]);
    await flush();

    timers.advance(60_000);
    const probe = FakeEventSource.current as FakeEventSource;
    expect(probe).to.not.equal(refused);
    expect(probe.url).to.match(/since=41$/);
    probe.open();
    expect(feed.state).to.equal('live');
  });

  it('keeps polling and probes less often while the server keeps refusing the stream', async () => {
    const feed = connection();
    (await started(feed)).fail(true);
    timers.advance(60_000);
    (FakeEventSource.current as FakeEventSource).fail(true);
    expect(feed.state).to.equal('polling');
    expect(timers.delays()).to.include(120_000);
  });

  it('reconnects after a jittered delay when the server closes a stream that was open', async () => {
    const feed = connection();
    const first = await started(feed);
    first.open();
    first.emit('post', makePost('p', '2026-07-14T12:41:00Z'), 44);
    first.fail(true);
    expect(first.closed).to.equal(true);
    expect(feed.state).to.equal('reconnecting');
    // random() is 0.5: half fixed plus a quarter → 0.75 of the delay.
    expect(timers.delays()).to.deep.equal([750]);
    timers.advance(750);
    const second = FakeEventSource.current as FakeEventSource;
    expect(second).to.not.equal(first);
    expect(second.url).to.match(/since=44$/);
    second.open();
    expect(feed.state).to.equal('live');
  });

  it('reconnects after the delay a stopping server gives, without reporting an error', async () => {
    const feed = connection();
    const first = await started(feed);
    first.open();
    first.emit('post', makePost('p', '2026-07-14T12:41:00Z'), 44);
    first.emit('closing', { reconnectInMs: 4_200 });
    // The browser would reconnect by itself after retry:; the connection does it, after that delay.
    expect(first.closed).to.equal(true);
    first.fail(false);
    expect(feed.state).to.equal('reconnecting');
    expect(host.errors).to.deep.equal([]);
    expect(timers.delays()).to.deep.equal([4_200]);
    timers.advance(4_199);
    expect(FakeEventSource.current).to.equal(undefined);
    timers.advance(1);
    const second = FakeEventSource.current as FakeEventSource;
    expect(second.url).to.match(/since=44$/);
    second.open();
    expect(feed.state).to.equal('live');
    expect(host.errors).to.deep.equal([]);
  });

  it('bounds the delay a stopping server asks for, and reads a malformed one as none', async () => {
    const feed = connection();
    const first = await started(feed);
    first.open();
    first.emit('closing', { reconnectInMs: 86_400_000 });
    expect(timers.delays()).to.deep.equal([60_000]);
    timers.advance(60_000);
    const second = FakeEventSource.current as FakeEventSource;
    second.open();
    second.emit('closing', '{not json');
    // random() is 0.5: the usual first delay, 0.75 of a second.
    expect(timers.delays()).to.deep.equal([750]);
    expect(feed.state).to.equal('reconnecting');
  });

  it('retries the snapshot with growing, jittered delays', async () => {
    server.offline = true;
    const feed = connection(fakeEnvironment(server, timers), { maxStreamFailures: 5 });
    host.connect();
    await waitUntil(() => host.errors.length === 1);
    expect(feed.state).to.equal('reconnecting');
    expect(timers.delays()).to.deep.equal([750]);
    timers.advance(750);
    await waitUntil(() => host.errors.length === 2);
    expect(timers.delays()).to.deep.equal([1500]);
    timers.advance(1500);
    await waitUntil(() => host.errors.length === 3);
    expect(timers.delays()).to.deep.equal([3000]);
    server.offline = false;
    timers.advance(3000);
    await waitUntil(() => FakeEventSource.current);
    expect(host.snapshots).to.have.length(1);
  });

  it('waits at least as long as Retry-After when the snapshot answers 503', async () => {
    server.status = 503;
    server.retryAfter = '20';
    const feed = connection();
    host.connect();
    await waitUntil(() => host.errors.length === 1);
    expect(feed.state).to.equal('reconnecting');
    expect(timers.delays()).to.deep.equal([20_000]);
    server.status = undefined;
    timers.advance(20_000);
    await waitUntil(() => FakeEventSource.current);
    expect(host.snapshots).to.have.length(1);
  });

  it('falls back to polling with If-None-Match when the stream keeps failing, then returns to the stream', async () => {
    const feed = connection();
    const source = await started(feed);
    source.fail(false);
    source.fail(false);
    source.fail(false);
    expect(source.closed).to.equal(true);
    expect(feed.state).to.equal('polling');
    expect(server.requests).to.have.length(1);

    // A poll with nothing new: 304, nothing applied.
    timers.advance(30_000);
    await waitUntil(() => server.requests.length === 2);
    expect(server.requests[1]?.headers.get('if-none-match')).to.equal('"r41"');
    await flush();
    expect(host.snapshots).to.have.length(1);

    // A poll with news: 200, applied.
    server.publish(fixtureSnapshot({ posts: [makePost('p', '2026-07-14T12:41:00Z')], revision: 42 }));
    timers.advance(30_000);
    await waitUntil(() => host.snapshots.length === 2);
    expect(host.snapshots[1]?.posts[0]?.id).to.equal('p');

    // The stream was tried again after a minute, from the revision then held.
    expect(FakeEventSource.instances).to.have.length(2);
    const probe = FakeEventSource.current as FakeEventSource;
    expect(probe).to.not.equal(source);
    expect(probe.url).to.match(/since=41$/);
    probe.open();
    expect(feed.state).to.equal('live');
    const polls = server.requests.length;
    timers.advance(120_000);
    await flush();
    expect(server.requests.length).to.equal(polls);
  });

  it('keeps polling when a probe fails, and probes less often', async () => {
    const feed = connection(fakeEnvironment(server, timers), { maxStreamFailures: 1 });
    const source = await started(feed);
    source.fail(false);
    expect(feed.state).to.equal('polling');
    timers.advance(60_000);
    const probe = FakeEventSource.current as FakeEventSource;
    probe.fail(true);
    expect(feed.state).to.equal('polling');
    expect(probe.closed).to.equal(true);
    // Next probe after about two minutes (×0.75…1.25 jitter, 0.5 here → ×1).
    expect(timers.delays()).to.include(120_000);
  });

  it('tries the stream again at once when a poll finds the server back after failed polls', async () => {
    const feed = connection();
    const source = await started(feed);
    server.offline = true;
    for (let i = 0; i < 3; i++) source.fail(false);
    expect(feed.state).to.equal('polling');
    timers.advance(30_000);
    await waitUntil(() => server.requests.length === 2 && host.errors.length === 4, 'a poll fails');
    // The probe at one minute fails too; the next one would wait two more minutes.
    timers.advance(30_000);
    (FakeEventSource.current as FakeEventSource).fail(true);
    await waitUntil(() => server.requests.length === 3 && host.errors.length === 5, 'a second poll fails');
    expect(FakeEventSource.instances).to.have.length(2);

    server.offline = false;
    server.publish(fixtureSnapshot({ posts: [makePost('p', '2026-07-14T12:41:00Z')], revision: 42 }));
    timers.advance(30_000);
    await waitUntil(() => host.snapshots.length === 2, 'the next poll gets the snapshot');
    expect(FakeEventSource.instances).to.have.length(3);
    const stream = FakeEventSource.current as FakeEventSource;
    expect(stream.url).to.match(/since=42$/);
    stream.open();
    expect(feed.state).to.equal('live');
  });

  it('tries the stream again at once when a poll brings a fresh snapshot after a stale copy', async () => {
    // A reload during an outage: the page's service worker answered with its copy, marked stale.
    server.publish(fixtureSnapshot({ stale: true }));
    const feed = connection();
    const source = await started(feed);
    for (let i = 0; i < 3; i++) source.fail(false);
    expect(feed.state).to.equal('polling');

    // The server is back: the first poll, half a minute before the first probe, gets a fresh snapshot.
    server.publish(fixtureSnapshot({ stale: false, revision: 42 }));
    timers.advance(30_000);
    await waitUntil(() => host.snapshots.length === 2, 'the poll gets the fresh snapshot');
    expect(FakeEventSource.instances).to.have.length(2);
    (FakeEventSource.current as FakeEventSource).open();
    expect(feed.state).to.equal('live');
  });

  it('polls when the browser has no EventSource', async () => {
    const feed = connection(fakeEnvironment(server, timers, { eventSource: false }));
    host.connect();
    await waitUntil(() => host.snapshots.length === 1);
    expect(feed.state).to.equal('polling');
    expect(timers.delays()).to.deep.equal([30_000]);
  });

  it('says offline when the browser is offline', async () => {
    let online = true;
    const feed = connection(fakeEnvironment(server, timers, { online: () => online }));
    const source = await started(feed);
    online = false;
    source.fail(false);
    expect(feed.state).to.equal('offline');
    online = true;
    window.dispatchEvent(new Event('online'));
    source.open();
    expect(feed.state).to.equal('live');
  });

  it('restarts when the feed changes and drops the old answers', async () => {
    const feed = connection();
    server.hold = true;
    host.connect();
    host.target = { src: 'https://flux.example', feed: 'firminy' };
    host.update();
    server.hold = false;
    server.release();
    await waitUntil(() => host.snapshots.length === 1);
    await flush();
    expect(host.snapshots).to.have.length(1);
    expect(server.requests.map((request) => request.url.split('/').pop())).to.deep.equal(['saint-etienne', 'firminy']);
    expect(FakeEventSource.instances.map((source) => source.url.split('/').at(-2))).to.deep.equal(['firminy']);
    expect(feed.state).to.equal('live');
  });

  it('closes everything when the host disconnects', async () => {
    const feed = connection();
    const source = await started(feed);
    source.open();
    source.fail(true);
    expect(timers.delays()).to.have.length(1);
    host.disconnect();
    expect(source.closed).to.equal(true);
    expect(timers.delays()).to.deep.equal([]);
    expect(feed.state).to.equal('idle');
  });
});
