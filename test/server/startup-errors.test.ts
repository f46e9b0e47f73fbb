import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { EXIT, explainStartupError } from '../../server/startup-errors.js';
import { DataFolderError } from '../../server/store/data-folder.js';
import { DatabaseError } from '../../server/store/open-database.js';

const context = { host: '0.0.0.0', port: 80, dataDir: '/srv/commune-feed' };

/** A Node system error as `server.listen()` or `fs` gives it. */
function systemError(code: string, fields: Record<string, unknown>): NodeJS.ErrnoException {
  return Object.assign(new Error(`${String(fields.syscall)} ${code}`), { code, ...fields });
}

describe('explainStartupError', () => {
  it('explains a privileged port as a setting to change (EACCES on listen)', () => {
    const err = systemError('EACCES', { syscall: 'listen', address: '0.0.0.0', port: 80 });
    expect(explainStartupError(err, context)).toEqual({
      code: EXIT.setting,
      line:
        'commune-feed: PORT: 80 needs privileges this user lacks (ports below 1024 do): set PORT to 1024 or more ' +
        'and put a reverse proxy in front, or grant the capability CAP_NET_BIND_SERVICE',
    });
  });

  it('tells an address this machine does not have from a name that does not resolve', () => {
    const notHere = systemError('EADDRNOTAVAIL', { syscall: 'listen' });
    expect(explainStartupError(notHere, { ...context, host: '10.9.9.9' }).line).toBe(
      'commune-feed: HOST: 10.9.9.9 is not an address of this machine (EADDRNOTAVAIL): ' +
        'set HOST to one of its addresses, such as 0.0.0.0 (all) or 127.0.0.1',
    );
    const offline = systemError('EAI_AGAIN', { syscall: 'getaddrinfo', hostname: 'flux.ville.fr' });
    expect(explainStartupError(offline, { ...context, host: 'flux.ville.fr' })).toMatchObject({
      code: EXIT.setting,
      line: expect.stringContaining(
        'HOST: "flux.ville.fr" is not an address nor a name that resolves here (EAI_AGAIN)',
      ),
    });
  });

  it('explains file-system errors inside the data folder, such as a full disk while creating the image cache', () => {
    const full = systemError('ENOSPC', { syscall: 'mkdir', path: '/srv/commune-feed/media' });
    expect(explainStartupError(full, context)).toEqual({
      code: EXIT.dataFolder,
      line:
        'commune-feed: DATA_DIR: /srv/commune-feed/media: the disk is full (ENOSPC): ' +
        'free some space on it (or raise the file size limit), then start again',
    });
    const readOnly = systemError('EROFS', { syscall: 'open', path: '/srv/commune-feed/media/x' });
    expect(explainStartupError(readOnly, context).code).toBe(EXIT.dataFolder);
    const elsewhere = systemError('EACCES', { syscall: 'open', path: '/etc/commune-feed.json' });
    expect(explainStartupError(elsewhere, context).code).toBe(EXIT.internal);
  });

  it('asks to move the write-ahead log aside with a damaged database', () => {
    const err = new DatabaseError('damaged', '/srv/d/commune-feed.db', '/srv/d/commune-feed.db is damaged (x)');
    expect(explainStartupError(err, context, () => true)).toEqual({
      code: EXIT.database,
      line:
        'commune-feed: /srv/d/commune-feed.db is damaged (x); it was left untouched: restore a backup, ' +
        'or move it aside to start with an empty wall: mv /srv/d/commune-feed.db /srv/d/commune-feed.db.damaged' +
        ' && mv /srv/d/commune-feed.db-wal /srv/d/commune-feed.db.damaged-wal',
    });
  });

  it('takes damage SQLite reports later in the start for a damaged database too', () => {
    const err = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT_INDEX' });
    expect(explainStartupError(err, context)).toMatchObject({
      code: EXIT.database,
      line: expect.stringContaining('/srv/commune-feed/commune-feed.db is damaged (database disk image is malformed)'),
    });
  });

  it('keeps every explanation on one line', () => {
    const err = new DataFolderError('io-error', '/d', '/d/a\nb', 'SQLITE_IOERR', 'x');
    expect(explainStartupError(err, context).line).toBe(
      'commune-feed: DATA_DIR: /d/a b cannot be written (SQLITE_IOERR): check the disk, then start again',
    );
    expect(explainStartupError(new ConfigError('PORT', 'must be a whole number'), undefined)).toEqual({
      code: EXIT.setting,
      line: 'commune-feed: configuration error: PORT: must be a whole number',
    });
  });

  it('prints the stack of an unexpected error, and only then', () => {
    const failure = explainStartupError(new TypeError('x is undefined'), context);
    expect(failure.code).toBe(EXIT.internal);
    expect(failure.line).toMatch(/^commune-feed: internal error, please report it: TypeError: x is undefined\n    at /);
  });
});
