/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { postLanguage, safeUrl, segmentText } from '../../widget/post-text.js';
import { rangeOf } from './helpers/fixture-feed.js';

const none = { hashtags: [], mentions: [], links: [] };

describe('segmentText', () => {
  it('cuts at JavaScript string indices, so emoji before an entity do not shift it', () => {
    const text = '👨‍👩‍👧 fête 🎆 #Fete14 fin';
    const segments = segmentText(text, {
      ...none,
      hashtags: [{ ...rangeOf(text, '#Fete14'), tag: 'Fete14', url: 'https://x.com/hashtag/Fete14' }],
    });
    expect(segments).to.deep.equal([
      { kind: 'text', text: '👨‍👩‍👧 fête 🎆 ' },
      { kind: 'hashtag', text: '#Fete14', href: 'https://x.com/hashtag/Fete14' },
      { kind: 'text', text: ' fin' },
    ]);
  });

  it('shows a link by its display text, with the full URL as title', () => {
    const text = 'Programme https://t.co/x1';
    const [, link] = segmentText(text, {
      ...none,
      links: [
        {
          ...rangeOf(text, 'https://t.co/x1'),
          href: 'https://t.co/x1',
          display: 'ville.fr/prog…',
          expandedUrl: 'https://ville.fr/programme',
        },
      ],
    });
    expect(link).to.deep.equal({
      kind: 'link',
      text: 'ville.fr/prog…',
      href: 'https://t.co/x1',
      title: 'https://ville.fr/programme',
    });
  });

  it('leaves overlapping, empty, out-of-range and unsafe entities as text', () => {
    const text = '#a @b';
    const segments = segmentText(text, {
      hashtags: [
        { start: 0, end: 2, tag: 'a', url: 'https://x.com/hashtag/a' },
        { start: 1, end: 3, tag: 'overlap', url: 'https://x.com/hashtag/o' },
        { start: 3, end: 3, tag: 'empty', url: 'https://x.com/hashtag/e' },
        { start: 4, end: 99, tag: 'outside', url: 'https://x.com/hashtag/x' },
      ],
      mentions: [{ start: 3, end: 5, handle: 'b', url: 'javascript:alert(1)' }],
      links: [],
    });
    expect(segments).to.deep.equal([
      { kind: 'hashtag', text: '#a', href: 'https://x.com/hashtag/a' },
      { kind: 'text', text: ' @b' },
    ]);
    expect(segments.map((segment) => segment.text).join('')).to.equal(text);
  });
});

describe('safeUrl', () => {
  it('keeps http(s), resolves relative URLs against the feed server, refuses the rest', () => {
    expect(safeUrl('https://x.com/a')).to.equal('https://x.com/a');
    expect(safeUrl('/demo/a.svg', 'https://flux.ville.fr/')).to.equal('https://flux.ville.fr/demo/a.svg');
    expect(safeUrl('/demo/a.svg')).to.equal(undefined);
    expect(safeUrl('javascript:alert(1)', 'https://flux.ville.fr/')).to.equal(undefined);
    expect(safeUrl(' JavaScript:alert(1)')).to.equal(undefined);
    expect(safeUrl('data:text/html,<script>x</script>')).to.equal(undefined);
    expect(safeUrl('')).to.equal(undefined);
  });
});

describe('postLanguage', () => {
  it('keeps real language tags and drops "no language" codes', () => {
    expect(postLanguage('fr')).to.equal('fr');
    expect(postLanguage('pt-BR')).to.equal('pt-BR');
    for (const code of ['und', 'zxx', 'qme', 'qht', 'qam', 'fr"><script>', '', undefined]) {
      expect(postLanguage(code), String(code)).to.equal(undefined);
    }
  });
});
