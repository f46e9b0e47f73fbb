/** The admin CLI as operators run it: a child process on DATA_DIR, the password piped on stdin. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { memoryLogger } from '../../../server/log.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import { compiled } from '../../helpers/compiled.js';
import { testConfig, tempDir } from '../../helpers/config.js';
import { ScriptedSource } from '../../helpers/scripted-source.js';
import { TEST_PASSWORD, addOrganiser, adminRequest, cookieFrom } from '../../helpers/admin.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- …args` (without npm's banner) and waits for it, the event loop staying free. */
function admin(dataDir: string, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiled('server/cli/admin.ts'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(dataDir: string) {
  const server = await startServer(testConfig({ dataDir }), {
    log: memoryLogger(),
    sourceFor: () => new ScriptedSource(),
    startEngines: false,
  });
  servers.push(server);
  return server;
}

function login(server: RunningServer, username: string, password: string) {
  return adminRequest(server.app, 'login', { body: { username, password } });
}

// Each run starts the compiled command (and most hash a password): about 1 s on 2 busy cores.
describe('npm run admin', { timeout: 90_000 }, () => {
  it('adds users while the server runs, and they can sign in at once', async () => {
    const dataDir = tempDir();
    const server = await serve(dataDir);
    const added = await admin(
      dataDir,
      ['add-user', 'marie', '--role', 'admin', '--name', 'Marie Curie'],
      `${TEST_PASSWORD}\n`,
    );
    expect(added).toEqual({ status: 0, stdout: 'added admin "marie"\n', stderr: '' });
    const res = await login(server, 'marie', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { username: 'marie', displayName: 'Marie Curie', role: 'admin' } });
  });

  it("disables, re-enables and changes passwords of a running server's users, ending their sessions", async () => {
    const dataDir = tempDir();
    const server = await serve(dataDir);
    await addOrganiser(server.auth, 'admin', 'marie');
    await addOrganiser(server.auth, 'moderator', 'mona');
    const cookie = cookieFrom(await login(server, 'mona', TEST_PASSWORD));

    expect(await admin(dataDir, ['disable-user', 'mona'])).toMatchObject({ status: 0, stderr: '' });
    expect((await adminRequest(server.app, 'session', { cookie })).status).toBe(401);
    expect((await login(server, 'mona', TEST_PASSWORD)).status).toBe(401);

    expect((await admin(dataDir, ['enable-user', 'mona'])).status).toBe(0);
    const again = cookieFrom(await login(server, 'mona', TEST_PASSWORD));
    expect((await admin(dataDir, ['passwd', 'mona'], 'un autre mot de passe\r\nignored second line\n')).status).toBe(0);
    expect((await adminRequest(server.app, 'session', { cookie: again })).status).toBe(401);
    expect((await login(server, 'mona', 'un autre mot de passe')).status).toBe(200);

    const listed = await admin(dataDir, ['list-users']);
    expect(listed.status).toBe(0);
    expect(listed.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^USERNAME +ROLE +NAME +STATE +CREATED$/),
      expect.stringMatching(/^marie +admin +Test admin +active +\d{4}-\d\d-\d\d$/),
      expect.stringMatching(/^mona +moderator +Test moderator +active +\d{4}-\d\d-\d\d$/),
    ]);

    expect(await admin(dataDir, ['remove-user', 'mona'])).toMatchObject({ status: 0, stdout: 'removed "mona"\n' });
    expect((await login(server, 'mona', 'un autre mot de passe')).status).toBe(401);
  });

  it('refuses what the account rules refuse, with exit status 1 and one line', async () => {
    const dataDir = tempDir();
    const server = await serve(dataDir);
    await addOrganiser(server.auth, 'admin', 'marie');
    const cases: [string[], string][] = [
      [['add-user', 'MARIE', '--role', 'moderator'], 'user "MARIE" already exists'],
      [['disable-user', 'nobody'], 'no user "nobody"'],
      [['remove-user', 'marie'], '"marie" is the last enabled administrator: make another account admin first'],
    ];
    for (const [args, message] of cases) {
      expect(await admin(dataDir, args, `${TEST_PASSWORD}\n`)).toEqual({
        status: 1,
        stdout: '',
        stderr: `commune-feed admin: ${message}\n`,
      });
    }
  });

  it('answers bad usage with exit status 2 and one line naming the problem', async () => {
    const dataDir = tempDir();
    const cases: [string[], string, string][] = [
      [[], '', 'a command is required (npm run admin -- --help)'],
      [['frobnicate'], '', 'unknown command "frobnicate" (npm run admin -- --help)'],
      [['add-user'], '', 'add-user needs a username (npm run admin -- --help)'],
      [['add-user', 'marie', '--role', 'chef'], `${TEST_PASSWORD}\n`, '--role: must be one of admin, moderator'],
      [['add-user', 'marie', '--role', 'admin'], 'court\n', 'password: must be at least 12 characters'],
      [
        ['list-users', '--colour'],
        '',
        expect.stringMatching(/^Unknown option '--colour'.* \(npm run admin -- --help\)$/),
      ],
    ];
    for (const [args, input, message] of cases) {
      const run = await admin(dataDir, args, input);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr.endsWith('\n') && run.stderr.split('\n')).toEqual([expect.anything(), '']);
      expect(run.stderr.replace(/^commune-feed admin: /, '').trimEnd()).toEqual(message);
    }
    expect((await admin(dataDir, ['list-users'])).stdout).toBe(
      'no accounts yet: npm run admin -- add-user <username> --role admin\n',
    );
  });

  // util-linux's `script` gives the CLI a real terminal (a pseudo-terminal), as an operator's shell would.
  it.skipIf(!existsSync('/usr/bin/script'))('reads the password on a terminal twice, without echoing it', async () => {
    const dataDir = tempDir();
    const command = `${process.execPath} ${compiled('server/cli/admin.ts')} add-user marie --role admin`;
    const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    let screen = '';
    const typed = new Set<string>();
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      // Type each answer once its prompt is on the screen, as a person would.
      for (const prompt of ['Password: ', 'Password again: ']) {
        if (screen.endsWith(prompt) && !typed.has(prompt)) {
          typed.add(prompt);
          child.stdin.write(`${TEST_PASSWORD}\r`);
        }
      }
    });
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    expect(screen.replace(/\r/g, '')).toBe('Password: \nPassword again: \nadded admin "marie"\n');
    expect(screen).not.toContain(TEST_PASSWORD);
  });

  it('prints its help through npm run admin -- --help', () => {
    const run = spawnSync('npm', ['run', '--silent', 'admin', '--', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run admin -- <command>/);
    for (const command of ['add-user', 'passwd', 'disable-user', 'enable-user', 'remove-user', 'list-users']) {
      expect(run.stdout).toContain(command);
    }
  });
});
