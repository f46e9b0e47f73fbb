/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { repeat } from '../../widget/repeat.js';

/** Comment nodes directly inside `element`: Lit's markers. */
function markers(element: Element): number {
  return [...element.childNodes].filter((node) => node.nodeType === Node.COMMENT_NODE).length;
}

function renderList(container: HTMLElement, keys: readonly string[]): HTMLElement {
  render(
    html`<ol>${repeat(
      keys,
      (key) => key,
      (key) => html`<li data-key=${key}>${key}</li>`,
    )}</ol>`,
    container,
  );
  return container.querySelector('ol')!;
}

describe('repeat', () => {
  it('leaves no marker behind as items come and go, however long it runs', () => {
    const container = document.createElement('div');
    const list = renderList(container, ['a', 'b', 'c']);
    const settled = markers(list);
    // A wall: each update adds one item in front and drops the last one.
    for (let i = 0; i < 500; i++) renderList(container, [`n${i}`, i ? `n${i - 1}` : 'a', i > 1 ? `n${i - 2}` : 'b']);
    expect(markers(list)).to.equal(settled);
    // Replacing all, shuffling, emptying and filling again.
    renderList(container, ['x', 'y', 'z']);
    renderList(container, ['z', 'x', 'y']);
    expect(markers(list)).to.equal(settled);
    renderList(container, []);
    renderList(container, ['a', 'b', 'c']);
    expect(markers(list)).to.equal(settled);
    expect([...list.querySelectorAll('li')].map((item) => item.dataset.key)).to.deep.equal(['a', 'b', 'c']);
  });

  it('keeps the nodes of the items that stay, moved or not', () => {
    const container = document.createElement('div');
    const list = renderList(container, ['a', 'b', 'c']);
    const [a, b] = [...list.querySelectorAll('li')];
    renderList(container, ['new', 'b', 'a']);
    const items = [...list.querySelectorAll('li')];
    expect(items.map((item) => item.dataset.key)).to.deep.equal(['new', 'b', 'a']);
    expect(items[1]).to.equal(b);
    expect(items[2]).to.equal(a);
  });
});
