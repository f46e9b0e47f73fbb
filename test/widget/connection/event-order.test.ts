/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { EventOrder } from '../../../widget/connection/event-order.js';
import type { EventSink } from '../../../widget/connection/event-order.js';
import { makePost, NOW } from '../helpers/fixture-feed.js';

/** A sink that records, in order, what reaches the host. */
function recorder(waiting: boolean) {
  const state = { waiting, reloads: 0, seen: [] as string[] };
  const sink: EventSink = {
    waiting: () => state.waiting,
    reload: () => {
      state.reloads++;
    },
    onPost: (post) => state.seen.push(`post ${post.id}`),
    onRemove: ({ id }) => state.seen.push(`remove ${id}`),
    onAlert: ({ alert }) => state.seen.push(`alert ${alert?.id ?? 'none'}`),
    onFeed: (feed) => state.seen.push(`feed ${feed.title}`),
    onStatus: (status) => state.seen.push(`status ${status.stale}`),
    onError: (error) => state.seen.push(`error ${error.message}`),
  };
  return { state, sink };
}

const post = (id: string) => JSON.stringify(makePost(id, new Date(NOW).toISOString()));

describe('EventOrder', () => {
  it('drops a replayed event, but applies every status', () => {
    const order = new EventOrder();
    const { state, sink } = recorder(false);
    order.revision = 10;
    order.receive('post', post('a'), '10', sink);
    order.receive('post', post('b'), '11', sink);
    order.receive('remove', JSON.stringify({ id: 'b' }), '11', sink);
    order.receive('status', JSON.stringify({ stale: true, updatedAt: '2026-07-14T12:00:00Z' }), '9', sink);
    expect(state.seen).to.deep.equal(['post b', 'status true']);
  });

  it('holds events while a snapshot is awaited, then applies only those it does not show, in order', () => {
    const order = new EventOrder();
    const { state, sink } = recorder(true);
    order.receive('post', post('old'), '4', sink);
    order.receive('post', post('new'), '6', sink);
    order.receive('remove', JSON.stringify({ id: 'x' }), '', sink);
    expect(state.seen).to.deep.equal([]);
    state.waiting = false;
    order.release(5);
    expect(state.seen).to.deep.equal(['post new', 'remove x']);
    expect(order.revision).to.equal(6);
  });

  it('reports unreadable and malformed events, and starts again from the snapshot on reset', () => {
    const order = new EventOrder();
    const { state, sink } = recorder(true);
    order.receive('post', post('held'), '3', sink);
    order.receive('feed', '{', '4', sink);
    order.receive('alert', JSON.stringify({ nope: 1 }), '5', sink);
    order.receive('reset', JSON.stringify({ stale: false, updatedAt: '2026-07-14T12:00:00Z' }), '', sink);
    order.release(undefined);
    expect(state.seen).to.deep.equal(['error Unreadable feed event', 'error Malformed alert event', 'status false']);
    expect(state.reloads).to.equal(1);
  });
});
