import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const script = join(root, 'scripts', 'scan.ts');
const dir = mkdtempSync(join(tmpdir(), 'baomi-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content, 'utf8');
  return p;
}

function run(args: string[], input?: string) {
  const r = spawnSync(tsx, [script, ...args], { cwd: root, input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout.split('\n').filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('scan CLI', { timeout: 120_000 }, () => {
  const clean = file('clean.txt', '今天天气很好。Order 20231201123045, masked 138****5678.\n');
  const leaky = file('leaky.txt', '客户张三 手机 138 1234 5678\n【机密】\n座机 0755-88886666转123\n');

  it('exit 0 when nothing is found', () => {
    const r = run([clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/0 findings in 1 file/);
  });

  it('exit 1 and one JSON line per finding, never the raw value', () => {
    const r = run([leaky]);
    expect(r.code).toBe(1);
    expect(r.json.map((j) => j.type)).toEqual(['mobile', 'marker', 'landline']);
    for (const j of r.json) {
      expect(Object.keys(j).sort()).toEqual(['confidence', 'end', 'file', 'level', 'masked', 'start', 'type']);
      expect(j.file).toBe(leaky);
    }
    expect(r.json[0]!.masked).toBe('138****5678');
    expect(r.stdout).not.toContain('13812345678');
    expect(r.stdout).not.toContain('88886666');
  });

  it('reads stdin when no file is given (file "-")', () => {
    const r = run([], '电话 13912345678');
    expect(r.code).toBe(1);
    expect(r.json).toEqual([{ file: '-', type: 'mobile', level: '秘密', start: 3, end: 14, masked: '139****5678', confidence: 0.95 }]);
  });

  it('exit 2 on an unreadable file, other files still scanned (2 wins over 1)', () => {
    const missing = join(dir, 'nope.txt');
    const r = run([missing, leaky]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${missing}`);
    expect(r.json.length).toBe(3);
  });

  it('exit 2 on a directory, 2 even with only clean files otherwise', () => {
    const r = run([dir, clean]);
    expect(r.code).toBe(2);
  });

  it('--json-summary prints counts by type and level instead', () => {
    const r = run(['--json-summary', leaky, clean]);
    expect(r.code).toBe(1);
    expect(r.json).toEqual([
      { files: 2, errors: 0, findings: 3, byType: { mobile: 1, marker: 1, landline: 1 }, byLevel: { 秘密: 2, 机密: 1 } },
    ]);
  });

  it('--all enables resident ID / bank card / e-mail; unknown options are errors', () => {
    const f = file('id.txt', '11010519491231002X a@example.com');
    expect(run([f]).code).toBe(0);
    expect(run(['--all', f]).json.map((j) => j.type)).toEqual(['resident-id', 'email']);
    expect(run(['--bogus', f]).code).toBe(2);
  });
});
