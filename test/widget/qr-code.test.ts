/// <reference types="mocha" />
import { expect, fixture } from '@open-wc/testing';
import { qrPath, renderQrCode } from '../../widget/qr-code.js';

/** The dark modules drawn by the path, as "x,y". */
function modules(path: string): Set<string> {
  return new Set([...path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((match) => `${match[1]},${match[2]}`));
}

/** A finder pattern: a dark 7×7 ring, a light ring, a dark 3×3 centre. */
function hasFinder(dark: Set<string>, left: number, top: number): boolean {
  for (let y = 0; y < 7; y++) {
    for (let x = 0; x < 7; x++) {
      const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
      const expected = ring !== 2;
      if (dark.has(`${left + x},${top + y}`) !== expected) return false;
    }
  }
  return true;
}

describe('qr-code', () => {
  it('draws a well-formed QR code: standard size and three finder patterns', () => {
    const { size, path } = qrPath('https://x.com/intent/post?text=%23FeteNationale%20');
    expect((size - 21) % 4).to.equal(0);
    const dark = modules(path);
    expect(path).to.equal([...dark].map((key) => `M${key.replace(',', ' ')}h1v1h-1z`).join(''));
    expect(hasFinder(dark, 0, 0)).to.equal(true);
    expect(hasFinder(dark, size - 7, 0)).to.equal(true);
    expect(hasFinder(dark, 0, size - 7)).to.equal(true);
    expect(hasFinder(dark, size - 7, size - 7)).to.equal(false);
  });

  it('renders an SVG image with a name, through bindings only', async () => {
    const svg = await fixture<SVGSVGElement>(renderQrCode('https://ville.fr', 'QR code pour publier avec #Fete'));
    expect(svg.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal('QR code pour publier avec #Fete');
    const size = qrPath('https://ville.fr').size;
    expect(svg.getAttribute('viewBox')).to.equal(`-4 -4 ${size + 8} ${size + 8}`);
    expect(svg.querySelector('path')?.getAttribute('d')).to.equal(qrPath('https://ville.fr').path);
  });
});
