/** Organisers' accounts, for admins: list, create, change (name, role, password, disabled), remove. */
import { Hono } from 'hono';
import { z } from 'zod';
import { displayNameSchema, passwordSchema, roleSchema, usernameSchema } from '../../auth/accounts.js';
import type { AdminAuth } from '../../auth/admin-auth.js';
import { requireRole, type AdminEnv } from '../../auth/middleware.js';
import { validate } from '../validate.js';

const newUserBody = z
  .object({
    username: usernameSchema,
    displayName: displayNameSchema.optional(),
    role: roleSchema,
    password: passwordSchema,
  })
  .strict();

const userChangesBody = z
  .object({
    displayName: displayNameSchema.optional(),
    role: roleSchema.optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((v) => v !== undefined), {
    message: 'must change at least one of displayName, role, password, disabled',
  });

export function createUserRoutes(auth: AdminAuth) {
  const routes = new Hono<AdminEnv>();
  routes.use('*', requireRole('admin'));

  routes.get('/', (c) => c.json({ users: auth.accounts.list() }));

  routes.post('/', validate('json', newUserBody), async (c) => {
    const user = await auth.accounts.add(c.req.valid('json'));
    auth.log.info('admin.user_created', { user: user.username, role: user.role, by: c.get('actor').username });
    return c.json({ user }, 201);
  });

  routes.patch('/:username', validate('json', userChangesBody), async (c) => {
    const changes = c.req.valid('json');
    // Changing one's own password keeps the session it is done from; the others end.
    const user = await auth.accounts.update(c.req.param('username'), changes, {
      keepSession: c.get('session')?.idHash,
    });
    auth.log.info('admin.user_changed', {
      user: user.username,
      changed: Object.keys(changes).join(','),
      by: c.get('actor').username,
    });
    return c.json({ user });
  });

  routes.delete('/:username', (c) => {
    auth.accounts.remove(c.req.param('username'));
    auth.log.info('admin.user_removed', { user: c.req.param('username'), by: c.get('actor').username });
    return c.body(null, 204);
  });

  return routes;
}
