/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import {
  fragmentToMarkup,
  markupToHtml,
  markupToText,
  wrapSelection,
} from '../../../widget/console/announcement-markup.js';
import { sanitizeAnnouncementHtml } from '../../../widget/sanitize.js';

describe('announcement markup', () => {
  const cases: [string, string][] = [
    ['Feu d’artifice à **22 h 30**', '<p>Feu d’artifice à <strong>22 h 30</strong></p>'],
    ['Un *très* beau soir', '<p>Un <em>très</em> beau soir</p>'],
    [
      '[Le programme](https://www.saint-etienne.fr/14-juillet)',
      '<p><a href="https://www.saint-etienne.fr/14-juillet">Le programme</a></p>',
    ],
    ['Ligne un\nLigne deux', '<p>Ligne un<br>Ligne deux</p>'],
    ['Premier\n\nSecond', '<p>Premier</p><p>Second</p>'],
    ['- pain\n- vin', '<ul><li>pain</li><li>vin</li></ul>'],
    ['2 * 3 * 4 font 24', '<p>2 * 3 * 4 font 24</p>'],
    ['[écrire](mailto:mairie@example.fr)', '<p><a href="mailto:mairie@example.fr">écrire</a></p>'],
  ];
  for (const [markup, expected] of cases) {
    it(`turns ${JSON.stringify(markup)} into ${expected}`, () => {
      expect(markupToHtml(markup)).to.equal(expected);
    });
  }

  it('keeps typed tags as text, and makes no link of a javascript: URL', () => {
    expect(markupToHtml('<img src=x onerror="alert(1)"> & co')).to.equal(
      '<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co</p>',
    );
    expect(markupToHtml('[clic](javascript:alert(1))')).to.equal('<p>[clic](javascript:alert(1))</p>');
    expect(markupToHtml('[a"b](https://x.example/?q="><script>)')).to.equal(
      '<p><a href="https://x.example/?q=&quot;&gt;&lt;script&gt;">a&quot;b</a></p>',
    );
  });

  it('gives the plain text without the markers', () => {
    expect(markupToText('**Orage** : *abritez-vous*, [consignes](https://ville.example)')).to.equal(
      'Orage : abritez-vous, consignes',
    );
  });

  it('turns a stored announcement back into what to type, to edit it', () => {
    const html =
      '<p>Feu d’artifice à <strong>22 h 30</strong>,<br>place <em>Jean-Jaurès</em>.</p><p><a href="https://www.saint-etienne.fr/14-juillet">Le programme</a></p><ul><li>pain</li><li>vin</li></ul>';
    const markup = fragmentToMarkup(sanitizeAnnouncementHtml(html));
    expect(markup).to.equal(
      'Feu d’artifice à **22 h 30**,\nplace *Jean-Jaurès*.\n\n[Le programme](https://www.saint-etienne.fr/14-juillet)\n\n- pain\n- vin',
    );
    expect(markupToHtml(markup)).to.equal(html);
  });

  it('wraps the selection for the toolbar, or inserts a placeholder, and selects what to type next', () => {
    expect(wrapSelection('Un beau soir', 3, 7, 'bold', 'texte')).to.deep.equal({
      text: 'Un **beau** soir',
      selectionStart: 5,
      selectionEnd: 9,
    });
    expect(wrapSelection('Voir ', 5, 5, 'link', 'texte du lien')).to.deep.equal({
      text: 'Voir [texte du lien](https://)',
      selectionStart: 21,
      selectionEnd: 29,
    });
  });
});
