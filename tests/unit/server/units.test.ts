import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looksLikeRawNumber } from '../../../server/lib/raw-number';
import { RateLimiter } from '../../../server/lib/rate-limit';
import { ConfigError, loadConfig } from '../../../server/config';
import { loadOrCreateKeys, HASH_KEY_FILE, SIGNING_KEY_FILE } from '../../../server/keys';
import { csvCell } from '../../../server/lib/report-csv';
import { etagMatches } from '../../../server/lib/signed-policy';
import { hashPassword, verifyPassword } from '../../../server/lib/secrets';
import { startServer } from '../../../server/start';
import { signPayload, verifyPayload } from '../../../utils/crypto/signing';

describe('looksLikeRawNumber', () => {
  it.each([
    ['13812345678', true],
    ['tel: 138-1234-5678', true],
    ['138 1234 5678', true],
    ['１３８１２３４５６７８', true], // full-width digits
    ['0755-12345678', true], // 8-digit run
    ['1234567', true],
    ['138****5678', false],
    ['0755****66', false],
    ['https://crm.example.com:8443', false],
    ['http://192.168.100.200', false],
    ['no-copy-out', false],
    ['密级：机密', false],
    ['123456', false],
    ['12345678901234567890', true],
  ])('%s → %s', (text, expected) => {
    expect(looksLikeRawNumber(text)).toBe(expected);
  });
});

describe('RateLimiter (token bucket)', () => {
  it('allows capacity at once, then refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 1 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 1]);
    expect(limiter.take('b')).toBe(0); // keys are independent
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(() => limiter.check('a')).toThrow(/too many requests/);
  });
  it('bounds its memory', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1 }, () => 0, 10);
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});

describe('loadConfig', () => {
  it('has defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: 'data', databaseUrl: undefined });
  });
  it('reads the environment; empty strings count as unset', () => {
    const c = loadConfig({
      BAOMI_PORT: '9000',
      BAOMI_HOST: '0.0.0.0',
      BAOMI_DATA_DIR: '/var/lib/baomi',
      DATABASE_URL: 'postgres://u:p@db/baomi',
      BAOMI_ADMIN_PASSWORD: '',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/baomi',
      databaseUrl: 'postgres://u:p@db/baomi',
      adminPassword: undefined,
    });
  });
  it.each([
    [{ BAOMI_PORT: 'abc' }, 'BAOMI_PORT'],
    [{ BAOMI_PORT: '70000' }, 'BAOMI_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ BAOMI_ADMIN_PASSWORD: 'short' }, 'BAOMI_ADMIN_PASSWORD'],
    [{ BAOMI_ENROLLMENT_CODE: 'abc' }, 'BAOMI_ENROLLMENT_CODE'],
  ])('%o → ConfigError naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(variable);
    }
  });
});

describe('keys in the data dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baomi-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('creates the Ed25519 pair and hash key once, mode 0600, and reuses them', async () => {
    const a = await loadOrCreateKeys(dir);
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, HASH_KEY_FILE)).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateKeys(dir);
    expect(b).toEqual(a);
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(a.hashKey.length).toBeGreaterThanOrEqual(32);
    const signed = await signPayload('policy', { x: 1 }, a.signing);
    expect(await verifyPayload('policy', { x: 1 }, signed.signature, a.signing.publicKey)).toBe(true);
    expect(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8')).toContain('privateKey');
  });
});

describe('small helpers', () => {
  it('csvCell quotes and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-5)).toBe('-5');
  });
  it('etagMatches handles lists, weak tags and *', () => {
    expect(etagMatches('"v1-k"', '"v1-k"')).toBe(true);
    expect(etagMatches('W/"v1-k"', '"v1-k"')).toBe(true);
    expect(etagMatches('"v0-k", "v1-k"', '"v1-k"')).toBe(true);
    expect(etagMatches('*', '"v1-k"')).toBe(true);
    expect(etagMatches('"v2-k"', '"v1-k"')).toBe(false);
    expect(etagMatches(undefined, '"v1-k"')).toBe(false);
  });
  it('scrypt password hashes verify and differ per salt', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('wrong horse', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('startServer', () => {
  it('listens on a random loopback port, answers over HTTP, closes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baomi-start-'));
    const server = await startServer({
      dataDir: dir,
      port: 0,
      host: '127.0.0.1',
      databaseUrl: '',
      env: {},
      enrollmentCode: 'START-CODE-1',
    });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.bootstrap.generatedAdminPassword).toMatch(/^([A-Za-z0-9]{5}-){3}[A-Za-z0-9]{5}$/);
      const res = await fetch(`${server.url}/api/v1/keys`);
      expect(res.status).toBe(200);
      expect((await res.json()).keys[0].keyId).toBe(server.keys.keyId);
      // Bodies go through lib/pre-read-body.ts over real HTTP: a normal POST works…
      const enroll = await fetch(`${server.url}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'START-CODE-1', userId: 'http.user' }),
      });
      expect(enroll.status).toBe(201);
      // …a body over the 1 MB cap is refused with our JSON error…
      const huge = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(1_100_000),
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).error.code).toBe('body-too-large');
      // …and route limits still apply below it (64 KB on /heartbeat).
      const medium = await fetch(`${server.url}/api/v1/heartbeat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(100_000),
      });
      expect(medium.status).toBe(413);
    } finally {
      await server.close();
    }
    // A second start on the same data dir keeps keys and does not make a new admin.
    const again = await startServer({ dataDir: dir, port: 0, databaseUrl: '', env: {} });
    try {
      expect(again.bootstrap.adminCreated).toBe(false);
      expect(again.bootstrap.generatedAdminPassword).toBeNull();
    } finally {
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
