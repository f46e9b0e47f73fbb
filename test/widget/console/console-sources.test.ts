/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import type { ConsoleSources } from '../../../widget/console/console-sources.js';
import { xReadsCost } from '../../../server/sources/x/pricing.js';
import { NOW, feedSummary, inside, shadowOf, signIn, useConsoleBench } from './helpers/console-fixture.js';

const bench = useConsoleBench();

describe('<console-sources>', () => {
  it('costs reads at $0.005 a post and $0.010 a user', () => {
    expect(xReadsCost({ posts: 1_000, users: 100 })).to.equal(6);
    expect(xReadsCost({ posts: 1, users: 1 })).to.equal(0.015);
  });

  it("shows each source fresh or stale, its last success and error, rate limits, the month's reads and their cost, and the budget", async () => {
    signIn(bench);
    bench.api.health = {
      feeds: [
        {
          feed: 'saint-etienne',
          source: 'x',
          stale: true,
          lastSuccessAt: new Date(NOW - 20 * 60_000).toISOString(),
          lastError: { at: new Date(NOW - 60_000).toISOString(), state: 'rate-limited', message: 'Too Many Requests' },
          nextPollAt: new Date(NOW + 5 * 60_000).toISOString(),
          details: {
            state: 'rate-limited',
            reads: {
              month: { posts: 1_234, users: 56 },
              allFeedsMonth: { posts: 2_000, users: 100 },
            },
            budget: { monthlyPostBudget: 20_000, used: 2_000, remaining: 18_000 },
            rateLimits: { search: { limit: 450, remaining: 0, resetAt: new Date(NOW + 10 * 60_000).toISOString() } },
          },
        },
        {
          feed: 'saint-etienne',
          source: 'demo',
          stale: false,
          lastSuccessAt: new Date(NOW).toISOString(),
          lastError: null,
          nextPollAt: null,
        },
      ],
    };
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
