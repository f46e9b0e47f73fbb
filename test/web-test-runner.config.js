// Browser tests of the widget: `npm run test:widget`.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_PATH, CHROMIUM_ARGS } from './chromium.js';

/** The demo pages' Trusted Types policy (server/http/assets.ts DEMO_CSP). */
const TRUSTED_TYPES_CSP = "require-trusted-types-for 'script'; trusted-types lit-html dompurify commune-feed";

export default {
  // *.csp.test.ts run in their own group, under a Content Security Policy.
  files: ['test/widget/**/*.test.ts', '!test/widget/**/*.csp.test.ts'],
  groups: [
    {
      name: 'trusted-types',
      files: 'test/widget/**/*.csp.test.ts',
      testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head><meta http-equiv="Content-Security-Policy" content="${TRUSTED_TYPES_CSP}"></head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`,
    },
  ],
  // The development condition keeps Lit's dev mode on, which catches
  // class fields that shadow reactive properties.
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        headless: true,
        // A fixed time zone, so clock times in tests do not depend on the machine.
        env: { ...process.env, TZ: 'Europe/Paris' },
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  testFramework: {
    config: { timeout: 10_000 },
  },
};
