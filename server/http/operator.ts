/** Operators: `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time. */
import type { Context } from 'hono';
import { sameSecret } from '../auth/secret.js';
import { jsonError } from './errors.js';

/** The error answer when the request does not come from an operator; undefined when it does. */
export function refuseNonOperator(c: Context, adminToken: string | undefined): Response | undefined {
  if (!adminToken) return jsonError(c, 403, 'operator actions are disabled: set ADMIN_TOKEN');
  const auth = c.req.header('authorization') ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!token || !sameSecret(token, adminToken))
    return jsonError(c, 401, 'a valid operator token is required', { 'www-authenticate': 'Bearer' });
  return undefined;
}
