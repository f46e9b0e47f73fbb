/** The server's entry point: `node dist/server/main.js [--config feeds.json]` (see `cli/serve.ts`). */
import { serve } from './cli/serve.js';

await serve(process.argv.slice(2));
