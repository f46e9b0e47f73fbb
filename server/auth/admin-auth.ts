/** Everything the admin API needs to know who is asking: accounts, sessions, throttling, the operator token. */
import type Database from 'better-sqlite3';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AccountStore } from './account-store.js';
import { Accounts } from './accounts.js';
import { LoginThrottle } from './login-throttle.js';
import { socketAddress, type RequestOriginOptions } from './request-origin.js';
import { Sessions } from './sessions.js';

export interface AdminAuth extends RequestOriginOptions {
  accounts: Accounts;
  sessions: Sessions;
  throttle: LoginThrottle;
  /** `ADMIN_TOKEN`: accepted as `Authorization: Bearer …`, and required to create the first admin. */
  adminToken?: string;
  /** The client's address, the key of per-address throttling. */
  clientAddress(c: Context): string;
  log: Logger;
}

export interface AdminAuthOptions extends RequestOriginOptions {
  /** The server's database (the tables of migration 2). */
  db: Database.Database;
  clock: Clock;
  log: Logger;
  adminToken?: string;
  /** Defaults to the socket's address; the server passes its TRUST_PROXY-aware one. */
  clientAddress?: AdminAuth['clientAddress'];
}

export function createAdminAuth(options: AdminAuthOptions): AdminAuth {
  const store = new AccountStore(options.db);
  return {
    accounts: new Accounts(store, options.clock),
    sessions: new Sessions(store, options.clock),
    throttle: new LoginThrottle({ clock: options.clock }),
    adminToken: options.adminToken || undefined,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy,
    clientAddress: options.clientAddress ?? socketAddress,
    log: options.log,
  };
}
