/// <reference types="mocha" />
import { expect, html } from '@open-wc/testing';
import type { Alert, FeedInfo, FeedStatus, Post } from '../../server/contract.js';
import { FakeEventSource } from './helpers/fakes.js';
import { renderLive, shadow, useFakeFeed } from './helpers/feed-fixture.js';
import { fixtureSnapshot, makePost } from './helpers/fixture-feed.js';

const feed = useFakeFeed();

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Three days of an event, as the hall's screen lives it without a reload. */
const DURATION = 72 * HOUR;
/** Posts the element keeps (its `limit`). */
const LIMIT = 50;
/** Posts in the server's snapshot. */
const SNAPSHOT_SIZE = 100;

/** What the element keeps for itself, read for the test (private fields). */
interface Internals {
  model: { held: { live: readonly Post[]; seen: ReadonlySet<string>; revealed: ReadonlySet<string> } };
  /** The events held while a snapshot is on its way (widget/connection/event-order.ts). */
  connection: { order: { held: readonly unknown[] }; state: string };
}

/** A measure of the element, taken at a quiet moment. */
interface Sample {
  hour: number;
  nodes: number;
  timers: number;
  held: number;
  seen: number;
  revealed: number;
  queued: number;
  openStreams: number;
}

/** Resolves in a task of its own (unlike a timer, never throttled in a background page): fetches settle. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

function nodeCount(root: Node): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  let count = 0;
  while (walker.nextNode()) count++;
  return count;
}

/**
 * The server side of the event: posts every few seconds, removals, status
 * changes, alerts, pins, announcements, title changes, a reset now and then,
 * a stream the server drops, and outages (the server down for minutes).
 */
class EventPlayer {
  posts: Post[] = [];
  revision = 1000;
  status: FeedStatus = { stale: false, updatedAt: new Date(feed.timers.now).toISOString() };
  alert: Alert | null = null;
  info: FeedInfo = fixtureSnapshot().feed;
  down = false;
  private count = 0;
  /** The stream the server serves, once it has accepted it. */
  private stream: FakeEventSource | undefined;

  constructor() {
    for (let i = 0; i < SNAPSHOT_SIZE; i++)
      this.addPost(this.newPost(feed.timers.now - (SNAPSHOT_SIZE - i) * 5 * SECOND));
    this.publish();
  }

  /** Plays one second of the event at fake time `t` (ms since the start). */
  second(t: number): void {
    const at = (period: number, offset: number) => t % period === offset;
    const down = t % (6 * HOUR) >= 2 * HOUR + 47 * MINUTE && t % (6 * HOUR) < 2 * HOUR + 52 * MINUTE;
    if (down && !this.down && this.stream) {
      // The network drops: the browser will retry by itself.
      this.stream.fail(false);
      this.stream = undefined;
    }
    this.down = down;
    feed.server.offline = down;
    this.serveStreams(t);

    if (at(5 * SECOND, 0)) this.send('post', this.addPost(this.newPost(feed.timers.now)));
    if (at(3 * MINUTE, 90 * SECOND)) this.remove(this.posts[9]!.id);
    if (at(30 * MINUTE, 10 * MINUTE)) this.setStatus(true);
    if (at(30 * MINUTE, 15 * MINUTE)) this.setStatus(false);
    if (at(2 * HOUR, 45 * MINUTE)) {
      const expiresAt = new Date(feed.timers.now + 20 * MINUTE).toISOString();
      this.setAlert({ id: `alerte-${t}`, text: 'Orage : abritez-vous sous les chapiteaux.', createdAt: '', expiresAt });
    }
    // Every other alert is withdrawn before it expires by the element's clock.
    if (at(4 * HOUR, 55 * MINUTE)) this.setAlert(null);
    if (at(3 * HOUR, 66 * MINUTE))
      this.send('post', this.addPost({ ...this.posts[5]!, pinnedAt: new Date(feed.timers.now).toISOString() }));
    if (at(3 * HOUR, 126 * MINUTE)) {
      const pinned = this.posts.find((post) => post.pinnedAt);
      if (pinned) this.send('post', this.addPost({ ...pinned, pinnedAt: undefined }));
    }
    if (at(90 * MINUTE, 17 * MINUTE)) {
      this.info = { ...this.info, title: `Fête du livre, jour ${Math.floor(t / (24 * HOUR)) + 1}` };
      this.revision++;
      this.sendRaw('feed', this.info);
    }
    if (at(2 * HOUR, 100 * MINUTE)) {
      const announcement = {
        ...this.newPost(feed.timers.now),
        source: 'organisers' as const,
        author: { name: 'Mairie', handle: '', avatarUrl: '', profileUrl: '' },
      };
      this.send('post', this.addPost(announcement));
    }
    // The server lost the thread: the element must fetch the snapshot again.
    if (at(4 * HOUR, 3 * HOUR)) this.stream?.emit('reset', this.status, this.revision);
    // The server drops the stream (a restart behind a proxy): the browser gives up, the element retries.
    if (at(HOUR, 37 * MINUTE) && this.stream) {
      this.stream.fail(true);
      this.stream = undefined;
    }
  }

  private newPost(time: number): Post {
    const n = this.count++;
    const post = makePost(`p${n}`, new Date(time).toISOString(), `Publication ${n} #FeteDuLivre`);
    if (n % 7 === 0) {
      post.media = [
        {
          kind: 'photo',
          url: '',
          previewUrl: `https://img.example/${n}.jpg`,
          alt: `Photo ${n}`,
          width: 800,
          height: 600,
        },
      ];
    }
    if (n % 11 === 0) post.sensitive = true;
    return post;
  }

  private addPost(post: Post): Post {
    this.posts = [post, ...this.posts.filter((held) => held.id !== post.id)]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, SNAPSHOT_SIZE);
    return post;
  }

  private remove(id: string): void {
    this.posts = this.posts.filter((post) => post.id !== id);
    this.send('remove', { id });
  }

  private setStatus(stale: boolean): void {
    this.status = { stale, updatedAt: new Date(feed.timers.now).toISOString() };
    this.stream?.emit('status', this.status);
    this.publish();
  }

  private setAlert(alert: Alert | null): void {
    this.alert = alert;
    this.send('alert', { alert });
  }

  /** A revisioned event: the snapshot follows, and the open stream hears it. */
  private send(name: 'post' | 'remove' | 'alert', data: unknown): void {
    this.revision++;
    this.publish();
    this.stream?.emit(name, data, this.revision);
  }

  private sendRaw(name: 'feed', data: unknown): void {
    this.publish();
    this.stream?.emit(name, data, this.revision);
  }

  private publish(): void {
    feed.server.publish(
      fixtureSnapshot({
        feed: this.info,
        posts: this.posts,
        revision: this.revision,
        alert: this.alert,
        ...this.status,
      }),
    );
  }

  /**
   * The browser's side of the stream: while the server is down, each try
   * fails (every 3 s the browser retries by itself); once it is up, the
   * server accepts the newest stream and replays from the element's `since`
   * (here: a reset when the element is behind, as the hub does past its buffer).
   */
  private serveStreams(t: number): void {
    const current = FakeEventSource.current;
    if (!current || current === this.stream) return;
    if (this.down) {
      if (t % (3 * SECOND) === 0) current.fail(current.readyState === 2);
      return;
    }
    this.stream?.close();
    this.stream = current;
    current.open();
    current.emit('status', this.status);
    const since = Number(new URL(current.url).searchParams.get('since'));
    if (since < this.revision) current.emit('reset', this.status, this.revision);
  }
}

describe('the wall over 72 hours without a reload', function () {
  this.timeout(180_000);

  it('keeps its DOM, its bookkeeping and its timers flat through three days of an event', async () => {
    const player = new EventPlayer();
    const { element } = await renderLive(
      html`<commune-feed mode="wall" limit=${LIMIT} time-zone="Europe/Paris" src="https://flux.example" feed="saint-etienne"></commune-feed>`,
    );
    const internals = element as unknown as Internals;
    const root = shadow(element);
    const samples: Sample[] = [];
    let states = new Set<string>();

    for (let t = SECOND; t <= DURATION; t += SECOND) {
      feed.timers.advance(SECOND);
      player.second(t);
      // The reader's side, now and then: reveal a sensitive picture, pause for a while.
      if (t % HOUR === 20 * MINUTE) root.querySelector<HTMLButtonElement>('[part~="reveal"]')?.click();
      if (t % (12 * HOUR) === 5 * HOUR) element.paused = true;
      if (t % (12 * HOUR) === 5 * HOUR + 10 * MINUTE) element.paused = false;
      if (t % (5 * MINUTE) === 0) {
        // Let the element render (and its wall fit) every few minutes, and its fetches settle.
        await element.updateComplete;
        await nextTask();
      }
      states.add(element.connectionState);
      // Quiet moments to compare: no alert, no outage, the stream open, six hours apart.
      if (t % (6 * HOUR) === 5 * HOUR + 30 * MINUTE) {
        await element.updateComplete;
        samples.push({
          hour: t / HOUR,
          nodes: nodeCount(root),
          timers: feed.timers.count,
          held: internals.model.held.live.length,
          seen: internals.model.held.seen.size,
          revealed: internals.model.held.revealed.size,
          queued: internals.connection.order.held.length,
          openStreams: FakeEventSource.instances.filter((source) => !source.closed).length,
        });
        // The test's own record of streams, not the element's.
        FakeEventSource.instances = FakeEventSource.instances.filter((source) => !source.closed);
      }
    }

    // The script did exercise the hard paths.
    expect([...states]).to.include.members(['live', 'reconnecting', 'polling']);
    expect(samples).to.have.length(12);
    for (const sample of samples) {
      expect(sample.held, `posts held at ${sample.hour} h`).to.equal(LIMIT);
      expect(sample.seen, `seen at ${sample.hour} h`).to.be.at.most(LIMIT);
      expect(sample.revealed, `revealed at ${sample.hour} h`).to.be.at.most(LIMIT);
      expect(sample.queued, `queued events at ${sample.hour} h`).to.equal(0);
      expect(sample.openStreams, `open streams at ${sample.hour} h`).to.equal(1);
      // The clock, the rotation, the announcer's two: nothing else waits at a quiet moment.
      expect(sample.timers, `timers at ${sample.hour} h`).to.be.at.most(4);
    }
    const firstDay = samples.filter((sample) => sample.hour <= 24);
    const lastDay = samples.filter((sample) => sample.hour > 48);
    const most = (list: Sample[], key: keyof Sample) => Math.max(...list.map((sample) => sample[key]));
    // The posts on screen differ (pictures, pins), so the count moves a little; it must not climb.
    const nodes = samples.map((sample) => sample.nodes);
    expect(most(lastDay, 'nodes'), `nodes every 6 h: ${nodes.join(', ')}`).to.be.at.most(most(firstDay, 'nodes') * 1.2);
    expect(most(lastDay, 'timers')).to.be.at.most(most(firstDay, 'timers'));
  });
});
