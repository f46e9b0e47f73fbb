/** The soak's figures as docs/soak.md (verdicts and a table) and docs/soak.svg (a plot over time): pure. */

export interface SoakSample {
  atS: number;
  viewers: number;
  rssMB: number;
  heapMB: number;
  fds: number;
  loopP99Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export interface SoakReport {
  ranAt: string;
  machine: string;
  minutes: number;
  viewers: number;
  viewerSessions: number;
  refused: number;
  /** Connections that failed before an answer (and were tried again, as EventSource does). */
  connectFailures: number;
  dropped: number;
  deliveriesChecked: number;
  missed: number;
  posts: Record<string, number>;
  removals: number;
  hides: number;
  removalP99Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  snapshots: { ok: number; notModified: number; failed: number };
  /** Per network: posts published by the fake, calls the server made to it, faults injected. */
  upstreams: Record<'x' | 'mastodon' | 'bluesky', { published: number; calls: number; faults: number }>;
  /** Per network: the posts of the three-network feed its reference viewer received. */
  delivered: Record<string, number>;
  errorLines: number;
  samples: SoakSample[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
};

interface Growth {
  name: string;
  early: number;
  late: number;
  bounded: boolean;
}

/** Median of the second quarter (after warm-up) against median of the last quarter, with a slack. */
function growth(samples: SoakSample[], name: string, pick: (s: SoakSample) => number, slack: number): Growth {
  const q = Math.max(1, Math.floor(samples.length / 4));
  const early = median(samples.slice(q, 2 * q).map(pick));
  const late = median(samples.slice(-q).map(pick));
  return { name, early, late, bounded: late <= early * 1.25 + slack };
}

const NETWORK_NAMES = { x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky' } as const;

const f1 = (n: number) => n.toFixed(1);

function plot(samples: SoakSample[]): string {
  const panels: {
    title: string;
    unit: string;
    series: { pick: (s: SoakSample) => number; colour: string; label: string }[];
  }[] = [
    {
      title: 'Server memory',
      unit: 'MB',
      series: [
        { pick: (s) => s.rssMB, colour: '#1f5fa8', label: 'RSS' },
        { pick: (s) => s.heapMB, colour: '#c2410c', label: 'heap used' },
      ],
    },
    {
      title: 'Open file descriptors and live viewers',
      unit: '',
      series: [
        { pick: (s) => s.fds, colour: '#1f5fa8', label: 'file descriptors' },
        { pick: (s) => s.viewers, colour: '#15803d', label: 'viewers' },
      ],
    },
    {
      title: 'Event-loop delay, p99',
      unit: 'ms',
      series: [{ pick: (s) => s.loopP99Ms, colour: '#7c3aed', label: 'p99' }],
    },
    {
      title: 'Delivery latency (post released → viewer)',
      unit: 'ms',
      series: [
        { pick: (s) => s.latencyP50Ms, colour: '#15803d', label: 'p50' },
        { pick: (s) => s.latencyP99Ms, colour: '#b91c1c', label: 'p99' },
      ],
    },
  ];
  const W = 760;
  const H = 150;
  const left = 60;
  const right = 20;
  const maxT = Math.max(1, ...samples.map((s) => s.atS));
  const parts: string[] = [];
  panels.forEach((panel, i) => {
    const top = 20 + i * (H + 40);
    const maxV = Math.max(1, ...panel.series.flatMap((s) => samples.map(s.pick))) * 1.1;
    const x = (t: number) => left + ((W - left - right) * t) / maxT;
    const y = (v: number) => top + H - (H * v) / maxV;
    parts.push(`<text x="${left}" y="${top - 6}" font-weight="bold">${panel.title}</text>`);
    parts.push(`<rect x="${left}" y="${top}" width="${W - left - right}" height="${H}" fill="none" stroke="#999"/>`);
    parts.push(
      `<text x="${left - 6}" y="${top + 10}" text-anchor="end">${Math.round(maxV)}${panel.unit ? ' ' + panel.unit : ''}</text>`,
    );
    parts.push(`<text x="${left - 6}" y="${top + H}" text-anchor="end">0</text>`);
    panel.series.forEach((s, k) => {
      const points = samples.map((p) => `${x(p.atS).toFixed(1)},${y(s.pick(p)).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${points}"/>`);
      parts.push(
        `<text x="${W - right - 4}" y="${top + 14 + k * 14}" text-anchor="end" fill="${s.colour}">${s.label}</text>`,
      );
    });
  });
  const bottom = 20 + panels.length * (H + 40) - 20;
  parts.push(`<text x="${left}" y="${bottom}">0 s</text>`);
  parts.push(`<text x="${W - right}" y="${bottom}" text-anchor="end">${maxT} s</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${bottom + 10}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

export function renderSoak(r: SoakReport): { markdown: string; svg: string; accepted: boolean } {
  const growths = [
    growth(r.samples, 'Server RSS (MB)', (s) => s.rssMB, 30),
    growth(r.samples, 'Server heap used (MB)', (s) => s.heapMB, 15),
    growth(r.samples, 'Open file descriptors', (s) => s.fds, 20 + r.viewers * 0.05),
  ];
  const checks = [
    ...growths.map((g) => ({ what: `${g.name} bounded: ${f1(g.early)} → ${f1(g.late)}`, ok: g.bounded })),
    {
      what: `No viewer missed a post or a removal: ${r.missed} missed of ${r.deliveriesChecked} checked`,
      ok: r.missed === 0 && r.deliveriesChecked > 0,
    },
    { what: `Snapshot readers served: ${r.snapshots.failed} failed`, ok: r.snapshots.failed === 0 },
    { what: `No error line in the server's log: ${r.errorLines}`, ok: r.errorLines === 0 },
  ];
  const accepted = checks.every((c) => c.ok);
  const every = Math.max(1, Math.ceil(r.samples.length / 20));
  const rows = r.samples.filter((_, i) => i % every === 0 || i === r.samples.length - 1);
  const markdown = [
    '# Soak: the real server through an evening',
    '',
    '<!-- Written by `npm run soak` (bench/soak.ts). Do not edit. -->',
    '',
    `Run: ${r.ranAt}, ${r.minutes} min on ${r.machine}. ${accepted ? '**Accepted.**' : '**NOT accepted.**'}`,
    '',
    'The real server in its own process serves two feeds. The demo feed releases a post a second. The "fete" feed',
    'reads three fakes at once: X (a post every 2 s, a fault every 45 s: 503, 429, garbage, a reset, truncated JSON,',
    'a 4 s stall); Mastodon (a post every 3 s pushed on its streaming API and kept for polls) and Bluesky (a post',
    'every 3 s on Jetstream and in the author feed), with a fault every 20 s on one or the other in turn: polls',
    'answered 503 or 429, the stream cut, the stream cut and refused for a while, so that the server falls back to',
    'polling and comes back to push. Live viewers join and leave (1 % a second), snapshot readers come with and',
    'without ETag (50 a second), and an organiser hides a post of the demo feed every 5 s.',
    '',
    '![Memory, file descriptors, event-loop delay and delivery latency over time](soak.svg)',
    '',
    '## Acceptance',
    '',
    ...checks.map((c) => `- ${c.ok ? '✅' : '❌'} ${c.what}`),
    '',
    '## Figures',
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| Live viewers at once | ${r.viewers} |`,
    `| Viewer sessions (joined and left) | ${r.viewerSessions} |`,
    `| Viewers refused / dropped by the server | ${r.refused} / ${r.dropped} |`,
    `| Connections that failed before an answer, then retried | ${r.connectFailures} |`,
    `| Posts delivered (demo; fete: X, Mastodon, Bluesky) | ${r.posts.demo ?? 0}; ${r.delivered.x ?? 0}, ${r.delivered.mastodon ?? 0}, ${r.delivered.bluesky ?? 0} |`,
    `| Posts hidden by the organiser / removals delivered | ${r.hides} / ${r.removals} |`,
    `| Delivery latency p50 / p99 (demo post released → viewer) | ${Math.round(r.latencyP50Ms)} ms / ${Math.round(r.latencyP99Ms)} ms |`,
    `| Removal latency p99 (hide sent → viewer) | ${Math.round(r.removalP99Ms)} ms |`,
    `| Snapshots 200 / 304 / failed | ${r.snapshots.ok} / ${r.snapshots.notModified} / ${r.snapshots.failed} |`,
    ...(['x', 'mastodon', 'bluesky'] as const).map((n) => {
      const u = r.upstreams[n];
      return `| ${NETWORK_NAMES[n]}: posts published / calls by the server / faults injected | ${u.published} / ${u.calls} / ${u.faults} |`;
    }),
    '',
    '## Samples',
    '',
    '| Time (s) | Viewers | RSS (MB) | Heap (MB) | FDs | Loop p99 (ms) | Latency p50 (ms) | Latency p99 (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (s) =>
        `| ${s.atS} | ${s.viewers} | ${f1(s.rssMB)} | ${f1(s.heapMB)} | ${s.fds} | ${f1(s.loopP99Ms)} | ${Math.round(s.latencyP50Ms)} | ${Math.round(s.latencyP99Ms)} |`,
    ),
    '',
  ].join('\n');
  return { markdown, svg: plot(r.samples), accepted };
}
