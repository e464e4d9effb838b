/** Approval-alert channels (issue 26 item 5). URLs and secrets are stored sealed (lib/sealed-text.ts). */
import type { Kysely } from 'kysely';
import type { Database, AlertChannelTable } from '../schema';
import { ALERT_KINDS, emailSettingsSchema, type AlertChannel, type AlertKind, type EmailSettings } from '../../lib/alerts/channel-config';
import { openText } from '../../lib/sealed-text';

export type AlertChannelRow = AlertChannelTable;

/** The purposes sealed values are bound to: a URL sealed for one channel does not open as another's secret. */
export const urlPurpose = (id: string) => `alert-channel-url|${id}`;
export const secretPurpose = (id: string) => `alert-channel-secret|${id}`;

/** What the console reads: no URL, no secret, only that they exist and a hint. */
export interface AlertChannelView {
  id: string;
  kind: AlertKind;
  name: string;
  enabled: boolean;
  urlHint: string | null;
  hasSecret: boolean;
  email: EmailSettings | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

function kindOf(value: string): AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value) ? (value as AlertKind) : 'webhook';
}

function emailOf(json: string | null): EmailSettings | null {
  if (!json) return null;
  const parsed = emailSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

export function channelView(row: AlertChannelRow): AlertChannelView {
  return {
    id: row.id,
    kind: kindOf(row.kind),
    name: row.name,
    enabled: Number(row.enabled) === 1,
    urlHint: row.url_hint,
    hasSecret: row.secret_sealed !== null,
    email: emailOf(row.email_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** The channel with its URL and secret opened (throws SealedTextError under another server key). */
export function openChannel(row: AlertChannelRow, rootSecret: string): AlertChannel {
  return {
    id: row.id,
    kind: kindOf(row.kind),
    name: row.name,
    enabled: Number(row.enabled) === 1,
    url: row.url_sealed ? openText(rootSecret, urlPurpose(row.id), row.url_sealed) : null,
    secret: row.secret_sealed ? openText(rootSecret, secretPurpose(row.id), row.secret_sealed) : null,
    email: emailOf(row.email_json),
  };
}

export async function listChannels(db: Kysely<Database>): Promise<AlertChannelRow[]> {
  return db.selectFrom('alert_channels').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function findChannel(db: Kysely<Database>, id: string): Promise<AlertChannelRow | undefined> {
  return db.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertChannel(db: Kysely<Database>, row: AlertChannelRow): Promise<void> {
  await db.insertInto('alert_channels').values(row).execute();
}

export async function updateChannel(db: Kysely<Database>, row: AlertChannelRow): Promise<void> {
  const { id, created_at: _created, ...rest } = row;
  await db.updateTable('alert_channels').set(rest).where('id', '=', id).execute();
}

/** Deletes the channel and its deliveries (pending ones would have nowhere to go). */
export async function deleteChannel(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('alert_deliveries').where('channel_id', '=', id).execute();
    const result = await trx.deleteFrom('alert_channels').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function enabledChannelIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('alert_channels').select('id').where('enabled', '=', 1).execute();
  return rows.map((row) => row.id);
}
