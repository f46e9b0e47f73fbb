/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { afterStreamFailure, closingDelay, eventsUrl } from '../../../widget/connection/stream.js';

describe('the event stream', () => {
  it('asks for the events after the revision held', () => {
    expect(eventsUrl('https://flux.ville.fr/api/feeds/x', undefined)).to.equal(
      'https://flux.ville.fr/api/feeds/x/events',
    );
    expect(eventsUrl('https://flux.ville.fr/api/feeds/x', 0)).to.equal(
      'https://flux.ville.fr/api/feeds/x/events?since=0',
    );
  });

  it('polls at once when the server refuses the stream, and after too many failures', () => {
    expect(afterStreamFailure(false, true, 1, 3)).to.equal('refused');
    expect(afterStreamFailure(true, true, 3, 3)).to.equal('poll');
    expect(afterStreamFailure(true, false, 3, 3)).to.equal('poll');
  });

  it('retries itself when the browser gave up, and lets the browser reconnect otherwise', () => {
    expect(afterStreamFailure(true, true, 1, 3)).to.equal('retry');
    expect(afterStreamFailure(true, false, 1, 3)).to.equal('wait');
    expect(afterStreamFailure(false, false, 2, 3)).to.equal('wait');
  });

  it('bounds the wait a stopping server asks for, and reads a malformed one as none', () => {
    expect(closingDelay(JSON.stringify({ reconnectInMs: 2_500 }))).to.equal(2_500);
    expect(closingDelay(JSON.stringify({ reconnectInMs: 3_600_000 }))).to.equal(60_000);
    expect(closingDelay(JSON.stringify({ reconnectInMs: -5 }))).to.equal(0);
    expect(closingDelay(JSON.stringify({ reconnectInMs: 'soon' }))).to.equal(undefined);
    expect(closingDelay('not json')).to.equal(undefined);
    expect(closingDelay('null')).to.equal(undefined);
  });
});
