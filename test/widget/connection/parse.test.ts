/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { parsePost, parseSnapshot } from '../../../widget/connection/parse.js';
import { fixtureSnapshot } from '../helpers/fixture-feed.js';

describe('parsePost', () => {
  it('rejects a post without its essentials and fills missing lists', () => {
    expect(parsePost({ id: 'x' })).to.equal(undefined);
    const post = parsePost({ id: '1', createdAt: '2026-07-14T12:00:00Z', author: { name: 'A', handle: 'a' } });
    expect(post?.entities).to.deep.equal({ hashtags: [], mentions: [], links: [] });
    expect(post?.media).to.deep.equal([]);
  });
});

describe('parsePost and parseSnapshot: what the organisers add', () => {
  it('keep pins, replies, expiry, and the markup of announcements only', () => {
    const base = { createdAt: '2026-07-14T12:00:00Z', author: { name: 'A', handle: '' } };
    const announcement = parsePost({
      ...base,
      id: 'a',
      source: 'organisers',
      html: '<p>Bal</p>',
      text: 'Bal',
      pinnedAt: '2026-07-14T12:01:00Z',
      expiresAt: '2026-07-14T20:00:00Z',
    });
    expect(announcement).to.include({
      source: 'organisers',
      html: '<p>Bal</p>',
      pinnedAt: '2026-07-14T12:01:00Z',
      expiresAt: '2026-07-14T20:00:00Z',
    });
    const post = parsePost({ ...base, id: 'x', source: 'x', html: '<b>not ours</b>', reply: true, pinnedAt: 5 });
    expect(post?.html).to.equal(undefined);
    expect(post?.pinnedAt).to.equal(undefined);
    expect(post?.reply).to.equal(true);
  });

  it('read the alert of a snapshot; an absent or malformed one is none', () => {
    const alert = { id: 'al', text: 'Orage', createdAt: '2026-07-14T12:00:00Z', lang: 'fr', extra: 1 };
    const snapshot = { ...fixtureSnapshot(), alert };
    expect(parseSnapshot(snapshot)?.alert).to.deep.equal({
      id: 'al',
      text: 'Orage',
      createdAt: '2026-07-14T12:00:00Z',
      lang: 'fr',
    });
    expect(parseSnapshot(fixtureSnapshot())?.alert).to.equal(null);
    expect(parseSnapshot({ ...snapshot, alert: { id: 'al' } })?.alert).to.equal(null);
  });
});

describe('parsePost: what each network adds', () => {
  it('keeps a content warning, and drops an empty one', () => {
    const base = { id: '1', source: 'mastodon', createdAt: '2026-07-14T12:00:00Z', author: { name: 'A', handle: 'a' } };
    expect(parsePost({ ...base, contentWarning: 'Sang' })).to.include({ source: 'mastodon', contentWarning: 'Sang' });
    expect(parsePost({ ...base, contentWarning: '  ' })).not.to.have.property('contentWarning');
    expect(parsePost({ ...base, contentWarning: 42 })).not.to.have.property('contentWarning');
  });
});
