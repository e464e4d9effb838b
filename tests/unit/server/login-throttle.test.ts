/**
 * The login throttle lives in the database: shared by processes, per account and source
 * with a growing delay, per IP; a stranger's guesses do not lock the real admin out.
 * SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../../../server/config';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { prepareServer } from '../../../server/start';
import { ADMIN_PASSWORD, createTestServer, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

const LIMITS: RateLimitSettings = {
  ...DEFAULT_RATE_LIMITS,
  login: {
    freeFailures: 3,
    baseDelaySeconds: 2,
    maxDelaySeconds: 60,
    ipFailures: 12,
    ipWindowSeconds: 600,
    accountFailures: 20,
    accountWindowSeconds: 3600,
    forgetAfterSeconds: 86_400,
  },
};
const PROXY = '10.0.0.1';

describe.each(backends)('login throttle on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;

  beforeAll(async () => {
    if (skip) return;
    const db = name === 'PostgreSQL' ? await createPgTestSchema(TEST_DATABASE_URL!) : undefined;
    pgSchema = db;
    server = await createTestServer({
      rateLimits: LIMITS,
      env: { BAOMI_TRUSTED_PROXIES: PROXY },
      ...(db ? { databaseUrl: db.databaseUrl, pgSchema: db.schema } : {}),
    });
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  /** A login as seen through a socket from `peer`, optionally forwarded for `forwardedFor`. */
  function attempt(
    app: TestServer['app'],
    username: string,
    password: string,
    peer: string,
    options: { forwardedFor?: string; cookie?: string } = {},
  ) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.forwardedFor) headers['X-Forwarded-For'] = options.forwardedFor;
    if (options.cookie) headers.Cookie = options.cookie;
    return Promise.resolve(
      app.request(
        '/api/admin/login',
        { method: 'POST', headers, body: JSON.stringify({ username, password }) },
        { incoming: { socket: { remoteAddress: peer } } },
      ),
    );
  }
  const knownCookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith('baomi_known='))!
      .split(';')[0]!;
  const clearThrottle = () => server.db.deleteFrom('login_throttle').execute();

  it.skipIf(skip)("a stranger's guesses from the admin's own address do not lock out the admin's known browser", async () => {
    await clearThrottle();
    // The admin logged in from this browser before: it holds the known-browser cookie.
    const first = await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.10');
    expect(first.status).toBe(200);
    const known = knownCookieOf(first);
    // Everybody shares one address (a proxy that is not configured as trusted): a stranger guesses.
    const stranger = [];
    for (let i = 0; i < 6; i++) stranger.push((await attempt(server.app, 'admin', `guess-${i}`, '192.0.2.10')).status);
    expect(stranger).toEqual([401, 401, 401, 429, 429, 429]);
    // Control: without the cookie, the same address is locked (that is the stranger's lock).
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.10')).status).toBe(429);
    // The real admin's browser still gets in.
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.10', { cookie: known })).status).toBe(200);
    // A made-up cookie does not count as a known browser.
    expect(
      (await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.10', { cookie: 'baomi_known=forged-value-1234567890' })).status,
    ).toBe(429);
  });

  it.skipIf(skip)('the per-account delay grows with each failure (doubling, capped) and a success clears it', async () => {
    await clearThrottle();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) expect((await attempt(server.app, 'admin', 'wrong', '192.0.2.20')).status).toBe(401);
    for (let round = 0; round < 6; round++) {
      const locked = await attempt(server.app, 'admin', 'wrong', '192.0.2.20');
      expect(locked.status).toBe(429);
      const wait = Number(locked.headers.get('Retry-After'));
      waits.push(wait);
      server.advance(wait * 1000);
      expect((await attempt(server.app, 'admin', 'wrong', '192.0.2.20')).status).toBe(401); // the wait is over: one more guess
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 60]);
    server.advance(60_000);
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.20')).status).toBe(200);
    expect((await attempt(server.app, 'admin', 'wrong', '192.0.2.20')).status).toBe(401); // counting starts over
  });

  it.skipIf(skip)('per IP: spraying many accounts from one address is stopped; another address is not', async () => {
    await clearThrottle();
    const statuses = [];
    for (let i = 0; i < 14; i++) statuses.push((await attempt(server.app, `user-${i}`, 'Password1', '192.0.2.30')).status);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    expect((await attempt(server.app, 'user-99', 'Password1', '192.0.2.31')).status).toBe(401);
  });

  it.skipIf(skip)('behind a trusted proxy each client counts on its own; a forged X-Forwarded-For from elsewhere is ignored', async () => {
    await clearThrottle();
    for (let i = 0; i < 5; i++) await attempt(server.app, 'admin', 'wrong', PROXY, { forwardedFor: '203.0.113.9' });
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, PROXY, { forwardedFor: '203.0.113.9' })).status).toBe(429);
    // The real admin, a fresh browser behind the same proxy, from another address.
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, PROXY, { forwardedFor: '198.51.100.7' })).status).toBe(200);
    // A client that is not the proxy cannot pick its address: it is counted as itself.
    for (let i = 0; i < 4; i++) await attempt(server.app, 'admin', 'wrong', '192.0.2.40', { forwardedFor: `198.51.100.${i}` });
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.40', { forwardedFor: '198.51.100.50' })).status).toBe(429);
  });

  it.skipIf(skip)('guesses at one account spread over many addresses are stopped; the known browser still gets in', async () => {
    await clearThrottle();
    const first = await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.70');
    const known = knownCookieOf(first);
    // 20 addresses, one guess each: no address and no address+account pair reaches its limit.
    for (let i = 0; i < 20; i++) expect((await attempt(server.app, 'admin', 'wrong', `198.18.0.${i}`)).status).toBe(401);
    expect((await attempt(server.app, 'admin', 'wrong', '198.18.1.1')).status).toBe(429);
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '198.18.1.2')).status).toBe(429); // a new browser waits too
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.70', { cookie: known })).status).toBe(200);
    // Control: another account is not affected.
    expect((await attempt(server.app, 'someone-else', 'wrong', '198.18.1.3')).status).toBe(401);
  });

  it.skipIf(skip)('counts of a quiet day are forgotten, those of made-up user names too', async () => {
    await clearThrottle();
    for (let i = 0; i < 5; i++) await attempt(server.app, `nobody-${i}`, 'wrong', '192.0.2.60');
    for (let i = 0; i < 4; i++) await attempt(server.app, 'admin', 'wrong', '192.0.2.61');
    expect((await attempt(server.app, 'admin', ADMIN_PASSWORD, '192.0.2.61')).status).toBe(429);
    server.advance(86_400_000 + 1000);
    expect((await attempt(server.app, 'admin', 'wrong', '192.0.2.61')).status).toBe(401); // starts over at 1
    const keys = await server.db.selectFrom('login_throttle').select('key').execute();
    expect(keys).toHaveLength(3); // this failure's account, IP and all-sources rows; the rest swept
  });

  it.skipIf(skip)('the throttle is shared: failures in one process lock the account in another', async () => {
    await clearThrottle();
    const second = await prepareServer({
      dataDir: server.dir,
      adminPassword: ADMIN_PASSWORD,
      rateLimits: LIMITS,
      clock: () => server.now(),
      env: {},
      ...(pgSchema ? { databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema } : { databaseUrl: '' }),
    });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt(server.app, 'admin', 'wrong', '192.0.2.50')).status).toBe(401);
      expect((await attempt(second.app, 'admin', 'wrong', '192.0.2.50')).status).toBe(429);
      // Control: another address is free in the second process too.
      expect((await attempt(second.app, 'admin', ADMIN_PASSWORD, '192.0.2.51')).status).toBe(200);
    } finally {
      await second.destroy();
    }
  });
});
