/**
 * The organisers' own words, for any organiser: announcements (listed, written, edited, deleted)
 * and the urgent alert (read, raised, withdrawn). The markup is sanitised by the service before
 * it is stored; every change reaches every open widget at once.
 */
import { Hono } from 'hono';
import type { AdminEnv } from '../../auth/middleware.js';
import { alertSchema, announcementSchema } from '../../moderation/notices.js';
import type { ModerationService } from '../../moderation/service.js';
import { validate } from '../validate.js';
import type { AlertAnswer, AnnouncementAnswer, AnnouncementsAnswer } from './admin-contract.js';

export function createNoticeRoutes(moderation: ModerationService) {
  const routes = new Hono<AdminEnv>();

  routes.get('/feeds/:id/announcements', (c) =>
    c.json<AnnouncementsAnswer>({ announcements: moderation.announcements(c.req.param('id')) }),
  );

  routes.post('/feeds/:id/announcements', validate('json', announcementSchema), (c) => {
    const announcement = moderation.announce(c.req.param('id'), c.req.valid('json'), c.get('actor'));
    return c.json<AnnouncementAnswer>({ announcement }, 201);
  });

  routes.put('/feeds/:id/announcements/:postId', validate('json', announcementSchema), (c) => {
    const { id, postId } = c.req.param();
    const announcement = moderation.editAnnouncement(id, postId, c.req.valid('json'), c.get('actor'));
    return c.json<AnnouncementAnswer>({ announcement });
  });

  routes.delete('/feeds/:id/announcements/:postId', (c) => {
    moderation.deleteAnnouncement(c.req.param('id'), c.req.param('postId'), c.get('actor'));
    return c.body(null, 204);
  });

  routes.get('/feeds/:id/alert', (c) => c.json<AlertAnswer>({ alert: moderation.alert(c.req.param('id')) }));

  routes.post('/feeds/:id/alert', validate('json', alertSchema), (c) => {
    const alert = moderation.raiseAlert(c.req.param('id'), c.req.valid('json'), c.get('actor'));
    return c.json<AlertAnswer>({ alert }, 201);
  });

  routes.delete('/feeds/:id/alert', (c) => {
    moderation.withdrawAlert(c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });

  return routes;
}
