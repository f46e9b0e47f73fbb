/**
 * `commune-feed admin <command>` (`npm run admin -- <command>` in a clone): organisers'
 * accounts from the command line. It
 * opens the data file of DATA_DIR directly (SQLite in WAL mode lets it write
 * while the server runs, and the server reads accounts and sessions from the
 * file at each request), so it works with the server stopped or running.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  Accounts,
  AccountError,
  passwordSchema,
  roleSchema,
  usernameSchema,
  displayNameSchema,
} from '../auth/accounts.js';
import { AccountStore } from '../auth/account-store.js';
import { systemClock } from '../clock.js';
import { dataDirFromEnv } from '../config.js';
import { diskErrorFrom } from '../store/data-folder.js';
import { openDatabase } from '../store/open-database.js';
import { DB_FILE } from '../store/store.js';
import { PasswordInputAborted, readPassword } from './read-password.js';

/** The usage text; `invocation` is how the operator ran the command. */
const usage = (invocation: string) => `Usage: ${invocation} <command> [options]

Organisers' accounts of the commune-feed server whose data folder is DATA_DIR (default ./data).
Works while the server runs.

Commands:
  add-user <username> --role admin|moderator [--name "Display name"]
                          Creates an account; asks for its password.
  passwd <username>       Sets a new password; ends the user's sessions.
  disable-user <username> Stops the user from signing in; ends their sessions.
  enable-user <username>  Lets a disabled user sign in again.
  remove-user <username>  Deletes the account and its sessions.
  list-users              Lists the accounts.
  --help                  Shows this help.

Passwords (at least 12 characters) are typed on the terminal without echo, twice;
when standard input is not a terminal, its first line is the password:
  printf '%s\\n' "$PASSWORD" | ${invocation} add-user marie --role admin

Roles: admin (feeds, accounts, and all a moderator does), moderator (moderation, announcements).
The last enabled admin cannot be removed, disabled or demoted.

Exit status: 0 done, 1 refused (unknown user, name taken, last admin, file error), 2 bad usage.
`;

/** Wrong command line or input: exit status 2. */
class UsageError extends Error {}

function valid<S extends z.ZodType>(schema: S, value: unknown, name: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${name}: ${result.error.issues[0]!.message}`);
  return result.data;
}

interface Command {
  name: string;
  username?: string;
  role?: string;
  displayName?: string;
}

function parseCommand(argv: string[]): Command | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const [name, username, ...rest] = parsed.positionals;
  if (parsed.values.help || name === 'help') return 'help';
  if (!name) throw new UsageError('a command is required');
  const takesUser = ['add-user', 'passwd', 'disable-user', 'enable-user', 'remove-user'];
  if (!takesUser.includes(name) && name !== 'list-users') throw new UsageError(`unknown command "${name}"`);
  const extra = takesUser.includes(name) ? rest : [username, ...rest].filter((a) => a !== undefined);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (takesUser.includes(name) && username === undefined) throw new UsageError(`${name} needs a username`);
  if (name !== 'add-user' && (parsed.values.role !== undefined || parsed.values.name !== undefined)) {
    throw new UsageError(`${name} takes no --role or --name`);
  }
  return { name, username, role: parsed.values.role, displayName: parsed.values.name };
}

async function newPassword(): Promise<string> {
  let password: string;
  try {
    password = await readPassword('Password: ', { confirm: 'Password again: ' });
  } catch (err) {
    if (err instanceof PasswordInputAborted) throw err;
    throw new UsageError((err as Error).message);
  }
  return valid(passwordSchema, password, 'password');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function run(command: Command, accounts: Accounts, invocation: string): Promise<string> {
  const username = command.username!;
  switch (command.name) {
    case 'add-user': {
      const input = {
        username: valid(usernameSchema, username, 'username'),
        role: valid(roleSchema, command.role, '--role'),
        displayName:
          command.displayName === undefined ? undefined : valid(displayNameSchema, command.displayName, '--name'),
      };
      if (accounts.get(username)) throw new AccountError('exists', `user "${username}" already exists`);
      const user = await accounts.add({ ...input, password: await newPassword() });
      return `added ${user.role} "${user.username}"`;
    }
    case 'passwd': {
      if (!accounts.get(username)) throw new AccountError('not-found', `no user "${username}"`);
      const user = await accounts.update(username, { password: await newPassword() });
      return `password of "${user.username}" changed; their sessions are ended`;
    }
    case 'disable-user':
      return `disabled "${(await accounts.update(username, { disabled: true })).username}"; their sessions are ended`;
    case 'enable-user':
      return `enabled "${(await accounts.update(username, { disabled: false })).username}"`;
    case 'remove-user':
      accounts.remove(username);
      return `removed "${username}"`;
    default: {
      const users = accounts.list();
      if (users.length === 0) return `no accounts yet: ${invocation} add-user <username> --role admin`;
      return table([
        ['USERNAME', 'ROLE', 'NAME', 'STATE', 'CREATED'],
        ...users.map((u) => [
          u.username,
          u.role,
          u.displayName,
          u.disabledAt ? `disabled ${u.disabledAt.slice(0, 10)}` : 'active',
          u.createdAt.slice(0, 10),
        ]),
      ]);
    }
  }
}

/**
 * The server's data file, created (and migrated) if needed. Not through
 * `Store`: that takes the data folder's lock, which the running server holds.
 */
function openDataFile(dataDir: string): Database.Database {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw diskErrorFrom(err, dataDir);
  }
  return openDatabase(path.join(dataDir, DB_FILE), dataDir);
}

/** How the admin commands are run from a clone of the repository. */
export const NPM_INVOCATION = 'npm run admin --';

/** Runs one admin command; resolves with the exit status. */
export async function runAdmin(argv: string[], invocation = NPM_INVOCATION): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    process.stderr.write(`commune-feed admin: ${(err as Error).message} (${invocation} --help)\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(usage(invocation));
    return 0;
  }
  let db: Database.Database | undefined;
  try {
    db = openDataFile(dataDirFromEnv(process.env));
    const accounts = new Accounts(new AccountStore(db), systemClock);
    process.stdout.write(`${await run(command, accounts, invocation)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PasswordInputAborted) return 130;
    process.stderr.write(`commune-feed admin: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    db?.close();
  }
}
