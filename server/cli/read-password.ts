/**
 * Reads a password for the admin CLI: from the terminal without echo, or the
 * first line of standard input when it is not a terminal (a pipe, a file).
 */
import type { ReadStream } from 'node:tty';

export class PasswordInputAborted extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PasswordInputAborted';
  }
}

const ENTER = new Set(['\r', '\n']);
const ERASE = new Set(['\u007f', '\b']);
const CANCEL = new Set(['\u0003', '\u0004']);

/** One line typed on the terminal, not echoed. Ctrl-C or Ctrl-D cancels. */
function readHidden(stdin: ReadStream, prompt: string, out: NodeJS.WritableStream): Promise<string> {
  // No echo from the start: the prompt is shown only once the terminal is raw, so typing ahead shows nothing.
  stdin.setRawMode(true);
  out.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      out.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (ENTER.has(char)) return finish();
        if (CANCEL.has(char)) return finish(new PasswordInputAborted());
        if (ERASE.has(char)) typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The first line of a non-terminal standard input (the rest is ignored). */
async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.replace(/\r$/, '');
}

/**
 * Asks for a password. On a terminal it is typed twice (`confirm`) and the two
 * must match; from a pipe it is read once.
 */
export async function readPassword(
  prompt: string,
  options: { confirm?: string; stdin?: NodeJS.ReadStream; out?: NodeJS.WritableStream } = {},
): Promise<string> {
  const stdin = options.stdin ?? process.stdin;
  const out = options.out ?? process.stderr;
  if (!stdin.isTTY) return readFirstLine(stdin);
  const tty = stdin as ReadStream;
  const password = await readHidden(tty, prompt, out);
  if (options.confirm !== undefined && (await readHidden(tty, options.confirm, out)) !== password) {
    throw new Error('the two passwords differ');
  }
  return password;
}
