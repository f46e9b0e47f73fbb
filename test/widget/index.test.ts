/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';

describe('bundle entry', () => {
  it('defines <commune-feed> when the tag is free', async () => {
    expect(customElements.get('commune-feed')).to.equal(undefined);
    await import('../../widget/index.js');
    await waitUntil(() => customElements.get('commune-feed'), 'the element is defined');
  });

  it('does nothing when the tag is already taken', async () => {
    const defined = customElements.get('commune-feed');
    const again = new URL('../../widget/index.ts?copy=2', import.meta.url).href;
    await import(again);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(customElements.get('commune-feed')).to.equal(defined);
  });
});
