/**
 * The organisers' view of the sources (`GET /health`): the operator view of every source (what
 * upstream said, rate limits, next poll), and what X costs this month in dollars, priced by
 * `sources/x/pricing.ts`, the one place of X's prices.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AdminEnv } from '../../auth/middleware.js';
import { X_PRICE_PER_POST_READ, X_PRICE_PER_USER_READ, xReadsCost } from '../../sources/x/pricing.js';
import { healthReport, type FeedHealth, type HealthOptions, type HealthReport } from '../health.js';
import type { AdminHealth, ReadCost, SourceHealth, XSpending } from './admin-contract.js';

const readCount = z.object({ posts: z.number(), users: z.number() });

/** What an X source reports of its reads and budget in its health details. */
const xDetails = z.object({
  reads: z.object({ month: readCount, allFeedsMonth: readCount }),
  budget: z.object({ monthlyPostBudget: z.number(), used: z.number(), remaining: z.number() }).nullable(),
});

function priced(reads: { posts: number; users: number }): ReadCost {
  return { posts: reads.posts, users: reads.users, costUsd: xReadsCost(reads) };
}

function xReadsOf(source: FeedHealth) {
  if (source.source !== 'x') return undefined;
  const details = xDetails.safeParse(source.details);
  return details.success ? details.data : undefined;
}

/** The health report with each X source's month in dollars, and X's spending of the whole server. */
export function adminHealth(report: HealthReport): AdminHealth {
  let x: XSpending | null = null;
  const feeds = report.feeds.map((source): SourceHealth => {
    const reads = xReadsOf(source);
    if (reads && !x) {
      const { budget } = reads;
      x = {
        month: priced(reads.reads.allFeedsMonth),
        budget: budget && {
          posts: budget.monthlyPostBudget,
          used: budget.used,
          remaining: budget.remaining,
          costUsd: xReadsCost({ posts: budget.monthlyPostBudget, users: 0 }),
        },
        prices: { postRead: X_PRICE_PER_POST_READ, userRead: X_PRICE_PER_USER_READ },
      };
    }
    return { ...source, monthReads: reads ? priced(reads.reads.month) : null };
  });
  return { ...report, feeds, x };
}

export function createHealthRoutes(options: HealthOptions) {
  const routes = new Hono<AdminEnv>();
  routes.get('/health', (c) => c.json<AdminHealth>(adminHealth(healthReport(options, 'operator'))));
  return routes;
}
