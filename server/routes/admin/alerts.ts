import { Hono } from 'hono';
import { z } from 'zod';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import {
  channelView,
  deleteChannel,
  findChannel,
  insertChannel,
  listChannels,
  openChannel,
  secretPurpose,
  updateChannel,
  urlPurpose,
  type AlertChannelRow,
} from '../../db/repositories/alert-channels';
import { listDeliveries } from '../../db/repositories/alert-deliveries';
import { alertRootSecret } from '../../lib/alerts/alert-service';
import { channelInputSchema, isWebhookKind, urlHint, type ChannelInput } from '../../lib/alerts/channel-config';
import { AlertDeliveryError } from '../../lib/alerts/delivery';
import { can } from '../../lib/admin-auth';
import { badRequest, notFound } from '../../lib/errors';
import { SealedTextError, sealText } from '../../lib/sealed-text';
import { validate } from '../../lib/validate';

const idParam = z.object({ id: z.string().max(64) });
const DELIVERIES_SHOWN = 50;

/** What the audit log keeps of a channel: never its URL or secret, only the hint and whether one is set. */
function auditShape(row: AlertChannelRow) {
  const view = channelView(row);
  return { kind: view.kind, name: view.name, enabled: view.enabled, url: view.urlHint, secret: view.hasSecret, email: view.email };
}

/** Applies the console's input to a row (new or stored); omitted URL/secret keep what is stored. */
function applyInput(input: ChannelInput, base: AlertChannelRow, rootSecret: string): AlertChannelRow {
  const row: AlertChannelRow = { ...base, kind: input.kind, name: input.name, enabled: input.enabled ? 1 : 0 };
  if (input.kind === 'email') {
    row.url_sealed = null;
    row.url_hint = null;
    row.email_json = JSON.stringify(input.email);
  } else {
    row.email_json = null;
    if (input.url) {
      row.url_sealed = sealText(rootSecret, urlPurpose(row.id), input.url);
      row.url_hint = urlHint(input.url);
    }
  }
  if (input.secret === null) row.secret_sealed = null;
  else if (input.secret !== undefined) row.secret_sealed = sealText(rootSecret, secretPurpose(row.id), input.secret);
  if (isWebhookKind(input.kind) && !row.url_sealed) {
    throw badRequest('invalid body', [{ path: 'url', message: 'a webhook channel needs its URL', code: 'invalid_type' }]);
  }
  return row;
}

/**
 * Approval alerts (IT administrator): GET /alert-channels (channels without their secrets,
 * the latest deliveries), POST /alert-channels, PUT and DELETE /alert-channels/:id, and
 * POST /alert-channels/:id/test (delivers a test message now and answers the outcome).
 * Every change is audited; the audit keeps the URL's hint, never the URL or the secret.
 */
export function adminAlertRoutes(deps: AppDeps) {
  const rootSecret = alertRootSecret(deps.keys);
  return new Hono<AppEnv>()
    .get('/alert-channels', can('alerts:manage'), async (c) => {
      const [rows, deliveries] = await Promise.all([listChannels(deps.db), listDeliveries(deps.db, DELIVERIES_SHOWN)]);
      return c.json({
        ok: true as const,
        items: rows.map(channelView),
        deliveries,
        publicUrl: deps.config.publicUrl ?? null,
        maxAttempts: deps.alerts.settings.maxAttempts,
      });
    })
    .post('/alert-channels', can('alerts:manage'), validate('json', channelInputSchema), async (c) => {
      const input = c.req.valid('json');
      const now = deps.clock();
      const actor = c.get('admin').user.username;
      const id = uuidv7(now.getTime());
      const blank: AlertChannelRow = {
        id,
        kind: input.kind,
        name: input.name,
        enabled: 0,
        url_sealed: null,
        url_hint: null,
        secret_sealed: null,
        email_json: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        updated_by: actor,
      };
      const row = applyInput(input, blank, rootSecret);
      await insertChannel(deps.db, row);
      await recordAudit(deps.db, {
        actor,
        action: 'alert-channel-create',
        target: `alert-channel ${row.name}`,
        detail: auditShape(row),
        now,
      });
      return c.json({ ok: true as const, item: channelView(row) }, 201);
    })
    .put('/alert-channels/:id', can('alerts:manage'), validate('param', idParam), validate('json', channelInputSchema), async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const stored = await findChannel(deps.db, id);
      if (!stored) throw notFound('no such alert channel');
      const now = deps.clock();
      const actor = c.get('admin').user.username;
      const row = applyInput(input, { ...stored, updated_at: now.toISOString(), updated_by: actor }, rootSecret);
      await updateChannel(deps.db, row);
      await recordAudit(deps.db, {
        actor,
        action: 'alert-channel-update',
        target: `alert-channel ${row.name}`,
        detail: {
          from: auditShape(stored),
          to: auditShape(row),
          urlReplaced: input.url !== undefined,
          secret: input.secret === null ? 'removed' : input.secret === undefined ? 'kept' : 'replaced',
        },
        now,
      });
      return c.json({ ok: true as const, item: channelView(row) });
    })
    .delete('/alert-channels/:id', can('alerts:manage'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const stored = await findChannel(deps.db, id);
      if (!stored || !(await deleteChannel(deps.db, id))) throw notFound('no such alert channel');
      const now = deps.clock();
      await recordAudit(deps.db, {
        actor: c.get('admin').user.username,
        action: 'alert-channel-delete',
        target: `alert-channel ${stored.name}`,
        detail: auditShape(stored),
        now,
      });
      return c.json({ ok: true as const, id });
    })
    .post('/alert-channels/:id/test', can('alerts:manage'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const stored = await findChannel(deps.db, id);
      if (!stored) throw notFound('no such alert channel');
      const actor = c.get('admin').user.username;
      let failure: { code: string; detail: string } | null = null;
      try {
        await deps.alerts.sendTest(openChannel(stored, rootSecret), actor);
      } catch (error) {
        if (error instanceof AlertDeliveryError) failure = { code: error.code, detail: error.detail };
        else if (error instanceof SealedTextError) failure = { code: 'channel-unusable', detail: error.message };
        else throw error;
      }
      const now = deps.clock();
      await recordAudit(deps.db, {
        actor,
        action: 'alert-channel-test',
        target: `alert-channel ${stored.name}`,
        detail: failure ? { delivered: false, code: failure.code } : { delivered: true },
        now,
      });
      return c.json({ ok: true as const, delivered: failure === null, error: failure, at: now.toISOString() });
    });
}
