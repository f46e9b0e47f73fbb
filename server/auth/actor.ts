/** Who acts on the admin API: an organiser, or the operator's ADMIN_TOKEN. Services take it to record who did what. */

export type Role = 'admin' | 'moderator';

export const ROLES: readonly Role[] = ['admin', 'moderator'];

export interface Actor {
  username: string;
  role: Role;
}

/** The actor of a request authenticated with `Authorization: Bearer <ADMIN_TOKEN>`. */
export const ADMIN_TOKEN_ACTOR: Actor = Object.freeze({ username: 'admin-token', role: 'admin' });

/** Names that stand for something other than an organiser in the audit log; no account may take them. */
export const RESERVED_USERNAMES: readonly string[] = ['admin-token', 'config-file'];
