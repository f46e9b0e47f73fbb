/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import type { ConsoleSources } from '../../../widget/console/console-sources.js';
import {
  NOW,
  feedSummary,
  inside,
  shadowOf,
  signIn,
  sourceHealth,
  useConsoleBench,
} from './helpers/console-fixture.js';
import { adminHealth } from './helpers/fake-admin-api.js';

const bench = useConsoleBench();

describe('<console-sources>', () => {
  it("shows each source fresh or stale, its last success and error, rate limits, the month's reads and their cost, and the budget", async () => {
    signIn(bench);
    // What the server answers: it prices the reads, the console writes the sums.
    bench.api.health = adminHealth(
      [
        sourceHealth({
          source: 'x',
          stale: true,
          lastSuccessAt: new Date(NOW - 20 * 60_000).toISOString(),
          lastError: { at: new Date(NOW - 60_000).toISOString(), state: 'rate-limited', message: 'Too Many Requests' },
          nextPollAt: new Date(NOW + 5 * 60_000).toISOString(),
          details: {
            state: 'rate-limited',
            rateLimits: { search: { limit: 450, remaining: 0, resetAt: new Date(NOW + 10 * 60_000).toISOString() } },
          },
          monthReads: { posts: 1_234, users: 56, costUsd: 6.73 },
        }),
        sourceHealth(),
      ],
      {
        month: { posts: 2_000, users: 100, costUsd: 11 },
        budget: { posts: 20_000, used: 2_000, remaining: 18_000, costUsd: 100 },
        prices: { postRead: 0.005, userRead: 0.01 },
      },
    );
    const element = await fixture<ConsoleSources>(
      html`<console-sources .api=${bench.client} .environment=${bench.environment} .feeds=${[feedSummary()]}></console-sources>`,
    );
    const month = await inside(element, 'section.card');
    expect(month.textContent!.replace(/\s+/g, ' ')).to.contain(
      '2 000 publications lues et 100 comptes lus, soit 11,00 $US',
    );
    expect(month.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Budget : 20 000 publications par mois (100,00 $US) ; reste 18 000.',
    );
    expect(month.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Tarifs X : 0,005 $US par publication lue, 0,01 $US par compte lu.',
    );
    const [x, demo] = [...shadowOf(element).querySelectorAll('li.source')];
    expect(x!.querySelector('h2')!.textContent).to.equal('Fête du livre · X');
    expect(x!.querySelector('.state')!.textContent).to.equal('Source en retard');
    const text = x!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('il y a 20 minutes');
    expect(text).to.contain('rate-limited');
    expect(text).to.contain('Too Many Requests');
    expect(text).to.contain('1 234 publications lues et 56 comptes lus, soit 6,73 $US');
    expect(text).to.contain('search : 0 sur 450, renouvelées dans 10 minutes');
    expect(demo!.querySelector('.state')!.textContent).to.equal('Source à jour');
  });
});
