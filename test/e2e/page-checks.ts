/**
 * Checks the end-to-end tests share on a page: axe, a fresh browser context, and what a page of
 * hostile content must never contain or do (run script, open a dialog, break its CSP).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe (WCAG 2.2 AA) on the page, inside open shadow roots too; returns the violations, briefly. */
export async function axeViolations(page: Page): Promise<{ id: string; help: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    });
    return violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
}

/** Runs `run` in a new browser context, closed afterwards. */
export async function withContext<T>(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0],
  run: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

/**
 * Records on a page (call before `goto`) every `__xss(n)` a payload would call if it ran, every
 * dialog, uncaught error and CSP violation.
 */
export async function watchHostilePage(page: Page) {
  const seen = { executed: [] as string[], violations: [] as string[], errors: [] as string[] };
  await page.exposeFunction('__xss', (n: number) => seen.executed.push(String(n)));
  await page.exposeFunction('__csp', (v: string) => seen.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp(v: string): void }).__csp(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  page.on('dialog', (d) => {
    seen.executed.push(`dialog:${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

/** Hovers and focuses every link, image, summary and time under `selector` (light DOM), to wake any handler. */
export async function stirLightDom(page: Page, selector = 'body'): Promise<void> {
  await page.evaluate((selector) => {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(`${selector} :is(a, img, summary, time)`))) {
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      el.focus();
      el.blur();
    }
  }, selector);
}

/** The elements of the static post markup the server writes (`server/html/post-html.ts`). */
export const POST_MARKUP_TAGS = [
  'OL',
  'UL',
  'LI',
  'P',
  'A',
  'H2',
  'H3',
  'SVG',
  'PATH',
  'DETAILS',
  'SUMMARY',
  'TIME',
  'ARTICLE',
  'DIV',
  'SPAN',
  'IMG',
  'FIGURE',
  'BLOCKQUOTE',
  'STRONG',
  'EM',
  'B',
  'I',
  'BR',
];

/**
 * Under `selector` (light DOM): every element not in `allowedTags`, every event handler, `style`
 * or `is` attribute, and every URL attribute that is not http(s), mailto, tel or a path.
 */
export function unexpectedMarkup(page: Page, selector: string, allowedTags: readonly string[]): Promise<string[]> {
  return page.evaluate(
    ({ selector, allowedTags }) => {
      const found: string[] = [];
      const allowed = new Set(allowedTags);
      for (const root of Array.from(document.querySelectorAll(selector))) {
        for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
          if (el !== root && !allowed.has(el.tagName.toUpperCase())) found.push(el.tagName);
          for (const attr of Array.from(el.attributes)) {
            if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'is')
              found.push(`${el.tagName}[${attr.name}]`);
            if (
              ['href', 'src', 'xlink:href', 'action'].includes(attr.name) &&
              !/^(https?:|mailto:|tel:|\/|\?|#)/i.test(attr.value.trim())
            )
              found.push(`${el.tagName}[${attr.name}=${attr.value}]`);
          }
        }
      }
      return found;
    },
    { selector, allowedTags },
  );
}
