/** Runs axe-core on an element (shadow roots included) against WCAG 2.2 AA rules. */
import 'axe-core/axe.min.js';
import type { AxeResults, Result } from 'axe-core';

interface AxeGlobal {
  run(context: Element, options: object): Promise<AxeResults>;
}

/** The tags asked for by the brief: WCAG 2.0 A/AA, 2.1 AA, 2.2 AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/** Violations of the WCAG rules, each summed up as "rule: target". */
export async function axeViolations(element: Element): Promise<string[]> {
  const axe = (window as unknown as { axe: AxeGlobal }).axe;
  const results = await axe.run(element, {
    runOnly: { type: 'tag', values: WCAG_TAGS },
    resultTypes: ['violations'],
  });
  return results.violations.flatMap((violation: Result) =>
    violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`),
  );
}
