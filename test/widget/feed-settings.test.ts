/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { maxPosts, positive, serverBase, toMode, toTheme } from '../../widget/feed-settings.js';

describe('feed settings', () => {
  it('reads an unknown mode as the list and an unknown theme as the light one', () => {
    expect(toMode('ticker')).to.equal('ticker');
    expect(toMode('wall')).to.equal('wall');
    expect(toMode('WALL')).to.equal('list');
    expect(toMode(null)).to.equal('list');
    expect(toTheme('dark')).to.equal('dark');
    expect(toTheme('auto')).to.equal('auto');
    expect(toTheme('sombre')).to.equal('light');
  });

  it('keeps at most 500 posts, 20 in the ticker, and the default for an unusable limit', () => {
    expect(maxPosts('list', 120, 50)).to.equal(120);
    expect(maxPosts('list', 12.9, 50)).to.equal(12);
    expect(maxPosts('wall', 10_000, 50)).to.equal(500);
    expect(maxPosts('ticker', 120, 50)).to.equal(20);
    expect(maxPosts('list', 0, 50)).to.equal(50);
    expect(maxPosts('list', Number.NaN, 50)).to.equal(50);
    expect(maxPosts('ticker', -3, 50)).to.equal(20);
  });

  it('takes a positive speed or interval, and the default otherwise', () => {
    expect(positive(90, 60)).to.equal(90);
    expect(positive(0, 60)).to.equal(60);
    expect(positive(-1, 8)).to.equal(8);
    expect(positive(Number.NaN, 8)).to.equal(8);
  });

  it('resolves relative URLs of posts against the server root, and gives none for a src that is no URL', () => {
    expect(serverBase('https://flux.ville.fr')).to.equal('https://flux.ville.fr/');
    expect(serverBase('https://ville.fr/flux')).to.equal('https://ville.fr/flux/');
    expect(serverBase('')).to.equal(new URL('/', location.href).href);
    expect(serverBase('http://[nope')).to.equal(undefined);
  });
});
