/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { sanitizeAnnouncementHtml } from '../../widget/sanitize.js';
import { hostileAnnouncements, outsideAllowList } from './helpers/hostile-markup.js';

function markup(fragment: DocumentFragment): string {
  const box = document.createElement('div');
  box.append(fragment);
  return box.innerHTML;
}

describe('sanitizeAnnouncementHtml', () => {
  const executed: number[] = [];
  before(() => {
    (window as { __xss?: (n: number) => void }).__xss = (n) => executed.push(n);
  });
  after(() => {
    delete (window as { __xss?: unknown }).__xss;
  });

  it('keeps the allowed formatting and returns a fragment, not a string', () => {
    const fragment = sanitizeAnnouncementHtml(
      '<p lang="fr">Bal à <strong>22 h</strong>, <em>place</em> <a href="https://ville.fr/bal" title="Le bal">programme</a></p><ul><li>un</li></ul>' +
        '<p><a href="mailto:fete@ville.fr">écrire</a> <a href="tel:+33477000000">appeler</a><br><b>b</b> <i>i</i> <span>s</span></p><ol><li>1</li></ol>',
    );
    expect(fragment).to.be.instanceOf(DocumentFragment);
    expect(markup(fragment)).to.equal(
      '<p lang="fr">Bal à <strong>22 h</strong>, <em>place</em> <a href="https://ville.fr/bal" title="Le bal" rel="noopener noreferrer nofollow ugc">programme</a></p><ul><li>un</li></ul>' +
        '<p><a href="mailto:fete@ville.fr" rel="noopener noreferrer nofollow ugc">écrire</a> <a href="tel:+33477000000" rel="noopener noreferrer nofollow ugc">appeler</a><br><b>b</b> <i>i</i> <span>s</span></p><ol><li>1</li></ol>',
    );
  });

  it('removes scripts, event handlers, styles and dangerous URLs', () => {
    const fragment = sanitizeAnnouncementHtml(
      '<script>alert(1)</script><img src=x onerror="alert(2)"><p style="color:red" onclick="alert(3)" class="x" id="y">ok</p>' +
        '<a href="javascript:alert(4)">a</a><a href="data:text/html,x">b</a><iframe src="https://evil.example"></iframe>' +
        '<svg><script>alert(5)</script></svg><form><input></form><p data-x="1">d</p>',
    );
    expect(markup(fragment)).to.equal(
      '<p>ok</p><a rel="noopener noreferrer nofollow ugc">a</a><a rel="noopener noreferrer nofollow ugc">b</a><p>d</p>',
    );
  });

  it('keeps nothing outside the allow-list from a corpus of hostile markup, and none of it runs once in the page', async () => {
    const corpus = hostileAnnouncements();
    expect(corpus.length).to.be.at.least(45);
    const box = document.createElement('div');
    document.body.append(box);
    try {
      for (const [index, dirty] of corpus.entries()) {
        const fragment = sanitizeAnnouncementHtml(dirty);
        expect(outsideAllowList(fragment), `payload ${index}: ${dirty}`).to.deep.equal([]);
        box.append(fragment);
      }
      // Images fail, frames load, focus moves: give every handler its chance.
      for (const node of box.querySelectorAll<HTMLElement>('*')) {
        node.focus();
        node.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(executed).to.deep.equal([]);
      expect(outsideAllowList(box)).to.deep.equal([]);
      // The clobbering names reached nothing.
      expect(typeof document.getElementById).to.equal('function');
      expect(typeof document.cookie).to.equal('string');
      expect(typeof (window as { __xss?: unknown }).__xss).to.equal('function');
    } finally {
      box.remove();
    }
  });
});
