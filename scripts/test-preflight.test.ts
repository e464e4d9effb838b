/**
 * The preflight as `npm test` runs it, in a real process: on a machine whose PATH holds only
 * Node (no browser to find) and with no test database named, it stops at once, non-zero,
 * saying what is missing. What each machine lacks → which words: requirements.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const script = join(root, 'scripts', 'test-preflight.ts');
// A PATH with Node alone: what `PATH=<that> npm test` sees of the machine's browsers.
const nodeOnly = mkdtempSync(join(tmpdir(), 'baomi-node-only-'));
symlinkSync(process.execPath, join(nodeOnly, 'node'));
afterAll(() => rmSync(nodeOnly, { recursive: true, force: true }));

function preflight(args: string[], env: Record<string, string>) {
  const started = Date.now();
  // tsx's launcher finds `node` on that PATH, as npm's script runner would.
  const result = spawnSync(tsx, [script, ...args], {
    cwd: root,
    env: { HOME: tmpdir(), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr, seconds: (Date.now() - started) / 1000 };
}

describe('npm test preflight (real process)', { timeout: 60_000 }, () => {
  it('no browser on PATH and no database named: exits 1 within seconds, naming each, before any suite', () => {
    const run = preflight([], { PATH: nodeOnly });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm test stopped before running any suite');
    expect(run.stderr).toContain('✗ Chromium');
    expect(run.stderr).toContain('✗ Firefox ESR');
    expect(run.stderr).toContain('✗ PostgreSQL');
    expect(run.stderr).toContain('BAOMI_TEST_DATABASE_URL is not set');
    expect(run.seconds).toBeLessThan(15);
  });

  it('checks only the needs named (test:firefox asks for Firefox alone)', () => {
    const run = preflight(['firefox'], { PATH: nodeOnly });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('✗ Firefox ESR');
    expect(run.stderr).not.toContain('✗ Chromium');
    expect(run.stderr).not.toContain('✗ PostgreSQL');
  });

  it('a named database that does not answer is refused, its password not printed', () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const run = preflight(['postgresql'], { PATH: nodeOnly, BAOMI_TEST_DATABASE_URL: 'postgres://baomi:s3cret@127.0.0.1:1/postgres' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('BAOMI_TEST_DATABASE_URL=postgres://baomi:***@127.0.0.1:1/postgres does not answer');
    expect(run.stderr).not.toContain('s3cret');
  });

  it('BAOMI_SKIP_POSTGRES=1 passes the PostgreSQL check and says, at the start and at the end, that it was not run', () => {
    const start = preflight(['postgresql'], { PATH: nodeOnly, BAOMI_SKIP_POSTGRES: '1' });
    expect(start.code).toBe(0);
    expect(start.stderr).toContain('Not run: the PostgreSQL storage cases');
    const end = preflight(['--not-run'], { PATH: nodeOnly, BAOMI_SKIP_POSTGRES: '1' });
    expect(end.code).toBe(0);
    expect(end.stderr).toContain('Not run: the PostgreSQL storage cases');
    expect(preflight(['--not-run'], { PATH: nodeOnly }).stderr).toBe('');
  });

  it('an unknown need is a usage error', () => {
    expect(preflight(['firefx'], { PATH: nodeOnly }).code).toBe(2);
  });
});
