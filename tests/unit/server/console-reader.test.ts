/**
 * The console's heavy reads on SQLite run in a worker thread with a read-only connection
 * (server/db/sqlite-reader.ts), so a device upload is answered while one runs. Shown by
 * order, not by time: a slow read started first ends after the upload was answered; the
 * control runs the same read on the main connection, and there the upload waits for it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, enroll, makeEvent, type EnrolledDevice, type TestServer } from './helpers';

// A read that keeps SQLite busy for a while (a recursive count), the same on either connection.
const slowRead = sql<{
  n: number;
}>`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) AS n FROM c`;

describe('console reader (SQLite)', () => {
  let server: TestServer;
  let device: EnrolledDevice;

  beforeAll(async () => {
    server = await createTestServer();
    device = await enroll(server);
  });
  afterAll(async () => server.cleanup());

  const upload = async (order: string[]) => {
    const response = await server.request('/api/v1/events', {
      method: 'POST',
      headers: device.auth,
      json: { events: [makeEvent(device.deviceId)] },
    });
    expect(response.status).toBe(200);
    order.push('upload answered');
  };

  it('answers a device upload while a heavy console read runs', async () => {
    const order: string[] = [];
    const read = slowRead.execute(server.deps.readDb).then((r) => {
      order.push('read done');
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve)); // the read is in the worker now
    await upload(order);
    expect(Number((await read).rows[0]!.n)).toBe(3_000_000);
    expect(order).toEqual(['upload answered', 'read done']);
  });

  it('control: the same read on the main connection holds the upload up', async () => {
    const order: string[] = [];
    const read = slowRead.execute(server.db).then(() => order.push('read done'));
    await new Promise((resolve) => setImmediate(resolve));
    await upload(order);
    await read;
    expect(order).toEqual(['read done', 'upload answered']);
  });

  it('sees what the main connection committed, and refuses writes', async () => {
    const before = await server.deps.readDb
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await upload([]);
    const after = await server.deps.readDb
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    await expect(server.deps.readDb.deleteFrom('events').execute()).rejects.toThrow(/reads only|readonly/);
    expect(
      Number(
        (
          await server.deps.readDb
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(Number(after.n));
  });
});
