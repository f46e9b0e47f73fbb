/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { snapshotUrl } from '../../../widget/connection/snapshot-request.js';

describe('snapshotUrl', () => {
  it('builds the snapshot URL from src and feed', () => {
    expect(snapshotUrl('https://flux.ville.fr', 'saint-etienne')).to.equal(
      'https://flux.ville.fr/api/feeds/saint-etienne',
    );
    expect(snapshotUrl('https://flux.ville.fr/', 'a b')).to.equal('https://flux.ville.fr/api/feeds/a%20b');
    expect(snapshotUrl('https://ville.fr/flux', 'x')).to.equal('https://ville.fr/flux/api/feeds/x');
  });

  it('uses the page origin when src is empty', () => {
    expect(snapshotUrl('', 'x', 'https://www.ville.fr/agenda/fete.html')).to.equal('https://www.ville.fr/api/feeds/x');
  });
});
