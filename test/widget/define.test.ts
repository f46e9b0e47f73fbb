/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { CommuneFeed, TAG_NAME, defineCommuneFeed } from '../../widget/define.js';

describe('define', () => {
  it('registers <commune-feed>', () => {
    expect(customElements.get(TAG_NAME)).to.equal(CommuneFeed);
    expect(document.createElement('commune-feed')).to.be.instanceOf(CommuneFeed);
  });

  it('is harmless when run twice', () => {
    expect(() => defineCommuneFeed()).not.to.throw();
    expect(customElements.get(TAG_NAME)).to.equal(CommuneFeed);
  });

  it('is harmless when a second copy of the script loads', async () => {
    // A different URL is a different module instance, as with a second <script>.
    const again = new URL('../../widget/define.ts?copy=2', import.meta.url).href;
    const module = (await import(again)) as typeof import('../../widget/define.js');
    expect(module.TAG_NAME).to.equal('commune-feed');
    expect(customElements.get(TAG_NAME)).to.equal(CommuneFeed);
  });

  it('leaves a tag defined by someone else alone', () => {
    const registry = {
      defined: [] as string[],
      get: () => class extends HTMLElement {},
      define(name: string) {
        this.defined.push(name);
      },
    };
    defineCommuneFeed(registry as unknown as CustomElementRegistry);
    expect(registry.defined).to.deep.equal([]);
  });
});
