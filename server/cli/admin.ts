/** `npm run admin -- <command>`: the organisers' accounts (see `admin-command.ts`). */
import { runAdmin } from './admin-command.js';

process.exitCode = await runAdmin(process.argv.slice(2));
