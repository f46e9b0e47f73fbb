/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { ApiError, ConsoleApi } from '../../../widget/console/api.js';
import { consoleMessages, describeError } from '../../../widget/console/i18n.js';
import { apiError } from './helpers/fake-admin-api.js';
import { settle, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();
const fr = consoleMessages('fr');

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('the request succeeded');
}

describe('the console API client', () => {
  it('sends content-type: application/json with every request, GET and DELETE included', async () => {
    signIn(bench);
    await bench.client.session();
    await bench.client.withdrawAlert('saint-etienne');
    await bench.client.decide('saint-etienne', '1003', 'hide');
    expect(bench.api.requests.map((r) => r.headers.get('content-type'))).to.deep.equal([
      'application/json',
      'application/json',
      'application/json',
    ]);
    expect(bench.api.requests.map((r) => r.method)).to.deep.equal(['GET', 'DELETE', 'POST']);
  });

  it('goes back to sign-in on a 401 of a signed-in route, but not on a wrong password', async () => {
    const error = await failure(bench.client.users());
    expect(error.status).to.equal(401);
    expect(bench.unauthorized).to.equal(1);
    const login = await failure(bench.client.login('marie', 'mauvais mot de passe'));
    expect(login.status).to.equal(401);
    expect(bench.unauthorized).to.equal(1);
  });

  it('names the field of a 400 and keeps its reason apart', async () => {
    signIn(bench);
    bench.api.answer('PUT /api/admin/feeds/saint-etienne', () =>
      apiError(400, 'moderation.blockedTerms[3]: must be at most 100 characters'),
    );
    const error = await failure(bench.client.updateFeed('saint-etienne', bench.api.feeds[0]!.settings));
    expect(error.field).to.equal('moderation.blockedTerms[3]');
    expect(error.reason).to.equal('must be at most 100 characters');
    expect(new ApiError(500, 'a: b').field).to.equal(undefined);
  });

  it('says how long to wait after a 429, and that admin routes are for admins after a 403', async () => {
    bench.api.answer('POST /api/admin/login', () =>
      apiError(429, 'trop de tentatives : réessayez dans 8 s', { 'retry-after': '8' }),
    );
    const throttled = await failure(bench.client.login('marie', 'x'));
    expect(throttled.retryAfterSeconds).to.equal(8);
    expect(describeError(throttled, fr)).to.equal('Trop de tentatives : réessayez dans 8 secondes.');
    expect(describeError(new ApiError(403, 'this action needs the admin role'), fr)).to.equal(
      'Réservé aux administrateurs.',
    );
    expect(describeError(new ApiError(403, 'x'), consoleMessages('en'))).to.equal('For admins only.');
  });

  it('tries a read again after a network failure, with backoff, and says so', async () => {
    signIn(bench);
    const retries: number[] = [];
    let recovered = 0;
    const client = new ConsoleApi(() => bench.environment, {
      onUnauthorized: () => undefined,
      onRetry: (_attempt, delay) => retries.push(delay),
      onRecovered: () => recovered++,
    });
    bench.api.offline = true;
    const users = client.users();
    await waitUntil(() => retries.length === 1, 'the first failure is reported');
    // Backoff with jitter: 1 s doubling, half fixed and half random (random() = 0.5 here).
    expect(retries).to.deep.equal([750]);
    bench.timers.advance(749);
    await settle();
    expect(bench.api.requests).to.have.length(1);
    bench.api.offline = false;
    bench.timers.advance(1);
    expect((await users).map((u) => u.username)).to.deep.equal(['marie', 'paul']);
    expect(bench.api.requests).to.have.length(2);
    expect(recovered).to.equal(1);
  });

  it('never sends an announcement twice by itself: a network failure is reported at once', async () => {
    signIn(bench);
    bench.api.offline = true;
    const error = await failure(bench.client.announce('saint-etienne', { html: '<p>Bonjour</p>', pinned: true }));
    expect(error.network).to.equal(true);
    expect(describeError(error, fr)).to.equal('Le serveur ne répond pas. Vérifiez la connexion.');
    expect(bench.api.requests).to.have.length(1);
  });

  it('gives up a read after four tries and lets the screen offer to try again', async () => {
    signIn(bench);
    bench.api.offline = true;
    const pending = failure(bench.client.health());
    for (let i = 0; i < 3; i++) {
      await waitUntil(() => bench.api.requests.length === i + 1);
      bench.timers.advance(20_000);
    }
    const error = await pending;
    expect(error.network).to.equal(true);
    expect(bench.api.requests).to.have.length(4);
  });
});
