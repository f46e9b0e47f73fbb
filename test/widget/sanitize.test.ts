/// <reference types="mocha" />
import { expect, fixture } from '@open-wc/testing';
import { renderAnnouncement, sanitizeAnnouncementHtml } from '../../widget/sanitize.js';

function markup(fragment: DocumentFragment): string {
  const box = document.createElement('div');
  box.append(fragment);
  return box.innerHTML;
}

describe('sanitizeAnnouncementHtml', () => {
  it('keeps the allowed formatting and returns a fragment, not a string', () => {
    const fragment = sanitizeAnnouncementHtml(
      '<p lang="fr">Bal à <strong>22 h</strong>, <em>place</em> <a href="https://ville.fr/bal" title="Le bal">programme</a></p><ul><li>un</li></ul>',
    );
    expect(fragment).to.be.instanceOf(DocumentFragment);
    expect(markup(fragment)).to.equal(
      '<p lang="fr">Bal à <strong>22 h</strong>, <em>place</em> <a href="https://ville.fr/bal" title="Le bal" rel="noopener noreferrer nofollow ugc">programme</a></p><ul><li>un</li></ul>',
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

  it('renders through Lit as nodes', async () => {
    const box = await fixture<HTMLElement>(
      renderAnnouncement('<p>Feu à <b>23 h</b><img src=x onerror="window.__pwned=1"></p>'),
    );
    expect(box.getAttribute('part')).to.equal('announcement');
    expect(box.querySelector('p')?.textContent).to.equal('Feu à 23 h');
    expect(box.querySelector('img')).to.equal(null);
  });
});
