/** Audit log of admin actions: who did what, when. Details never hold secrets. */
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { Database } from '../schema';

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

export async function recordAudit(
  db: Kysely<Database>,
  entry: { actor: string; action: string; target?: string | null; detail?: unknown; now: Date },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: uuidv7(entry.now.getTime()),
      at: entry.now.toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

export async function listAudit(db: Kysely<Database>, page: number, pageSize: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  const items: AuditEntry[] = rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));
  return { items, total: Number(count?.n ?? 0) };
}
