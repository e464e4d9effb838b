import { describe, expect, it } from 'vitest';
import { locateChromium, locateFirefox } from '../../tests/e2e/support/browser-paths';
import {
  describeInstall,
  describeMissing,
  describeNotRun,
  describeReady,
  findMissing,
  isDebianOsRelease,
  planRemedy,
  redactPassword,
  type Machine,
  type Need,
} from './requirements';

const PG_URL = 'postgres://baomi:s3cret@127.0.0.1:5432/postgres';

/** A Debian machine as root with everything the suites need; each case takes something away. */
function machine(change: Partial<Omit<Machine, 'exists'>> & { files?: string[] } = {}): Machine {
  const { files = ['/usr/bin/chromium', '/usr/bin/firefox-esr'], ...rest } = change;
  const present = new Set(files);
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', BAOMI_TEST_DATABASE_URL: PG_URL },
    exists: (path) => present.has(path),
    chromeForTesting: [],
    cjkFont: true,
    postgresInstalled: true,
    databaseError: null,
    root: true,
    debian: true,
    ...rest,
  };
}

/** Node and npm only: no browser, no font, no PostgreSQL, nothing set. */
const bare = (change: Partial<Machine> = {}) =>
  machine({ files: [], env: { PATH: '/usr/bin:/bin' }, cjkFont: false, postgresInstalled: false, databaseError: undefined, ...change });

const needsOf = (m: Machine) => findMissing(m).map((item) => item.need);

describe('findMissing: what is missing', () => {
  it.each<[string, Machine, Need[]]>([
    ['everything there', machine(), []],
    ['Node and npm only', bare(), ['chromium', 'firefox', 'cjk-font', 'postgresql']],
    ['no Firefox', machine({ files: ['/usr/bin/chromium'] }), ['firefox']],
    ['no Chinese font', machine({ cjkFont: false }), ['cjk-font']],
    [
      'Firefox elsewhere on PATH',
      machine({
        files: ['/usr/bin/chromium', '/opt/ff/bin/firefox'],
        env: { PATH: '/opt/ff/bin:/usr/bin', BAOMI_TEST_DATABASE_URL: PG_URL },
      }),
      [],
    ],
    [
      'PATH without the browsers’ folder',
      machine({ env: { PATH: '/tmp/node-only', BAOMI_TEST_DATABASE_URL: PG_URL } }),
      ['chromium', 'firefox'],
    ],
    [
      'Chrome for Testing in the cache',
      machine({ files: ['/usr/bin/firefox-esr'], chromeForTesting: ['/cache/chrome/linux-131/chrome'] }),
      [],
    ],
    [
      'a path variable pointing nowhere',
      machine({ env: { PATH: '/usr/bin', BAOMI_TEST_DATABASE_URL: PG_URL, BAOMI_FIREFOX_PATH: '/nope/firefox' } }),
      ['firefox'],
    ],
    ['no database URL', machine({ env: { PATH: '/usr/bin' } }), ['postgresql']],
    ['no database URL, BAOMI_SKIP_POSTGRES=1', machine({ env: { PATH: '/usr/bin', BAOMI_SKIP_POSTGRES: '1' } }), []],
    ['BAOMI_SKIP_POSTGRES set to something else', machine({ env: { PATH: '/usr/bin', BAOMI_SKIP_POSTGRES: 'yes' } }), ['postgresql']],
    ['database does not answer', machine({ databaseError: 'connect ECONNREFUSED 127.0.0.1:5432' }), ['postgresql']],
  ])('%s', (_name, m, expected) => {
    expect(needsOf(m)).toEqual(expected);
  });

  it('checks only the needs asked for', () => {
    expect(findMissing(bare(), ['firefox']).map((item) => item.need)).toEqual(['firefox']);
    expect(findMissing(bare(), [])).toEqual([]);
  });

  it('names the Debian package only where installing it fixes the problem', () => {
    expect(Object.fromEntries(findMissing(bare()).map((item) => [item.need, item.debianPackage]))).toEqual({
      chromium: 'chromium',
      firefox: 'firefox-esr',
      'cjk-font': 'fonts-noto-cjk',
      postgresql: 'postgresql',
    });
    // Installed but not running: starting it is the fix, not a package.
    expect(findMissing(bare({ postgresInstalled: true }), ['postgresql'])[0]?.debianPackage).toBeUndefined();
    // The variable wins over any install, so a package would not help.
    const wrongPath = machine({ env: { PATH: '/usr/bin', BAOMI_TEST_DATABASE_URL: PG_URL, PUPPETEER_EXECUTABLE_PATH: '/nope/chrome' } });
    const [item, ...rest] = findMissing(wrongPath);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ need: 'chromium', problem: 'PUPPETEER_EXECUTABLE_PATH=/nope/chrome does not exist' });
    expect(item?.debianPackage).toBeUndefined();
  });

  it('never prints the database password', () => {
    const [item] = findMissing(machine({ databaseError: 'password authentication failed' }));
    expect(item?.problem).toBe(
      'BAOMI_TEST_DATABASE_URL=postgres://baomi:***@127.0.0.1:5432/postgres does not answer: password authentication failed',
    );
  });
});

describe('the browser lookup the launcher uses', () => {
  it.each([
    [
      'the variable first',
      { PATH: '/usr/bin', PUPPETEER_EXECUTABLE_PATH: '/opt/chrome' },
      ['/opt/chrome', '/usr/bin/chromium'],
      '/opt/chrome',
    ],
    ['$PATH in order', { PATH: '/opt/b:/usr/bin' }, ['/usr/bin/chromium', '/opt/b/google-chrome'], '/usr/bin/chromium'],
    ['commands in order of preference', { PATH: '/opt/b:/usr/bin' }, ['/opt/b/google-chrome', '/usr/bin/chromium'], '/usr/bin/chromium'],
    [
      'macOS application',
      { PATH: '/usr/bin' },
      ['/Applications/Chromium.app/Contents/MacOS/Chromium'],
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ],
  ])('Chromium: %s', (_name, env, files, expected) => {
    const present = new Set(files);
    expect(locateChromium({ env, exists: (path) => present.has(path), chromeForTesting: ['/cache/chrome'] })).toEqual({ path: expected });
  });

  it('Chrome for Testing only when no system browser is there', () => {
    expect(locateChromium({ env: { PATH: '/usr/bin' }, exists: () => false, chromeForTesting: ['/cache/new', '/cache/old'] })).toEqual({
      path: '/cache/new',
    });
  });

  it('Firefox: ESR before release, and a wrong variable is reported, not passed over', () => {
    const present = new Set(['/usr/bin/firefox', '/usr/bin/firefox-esr']);
    expect(locateFirefox({ env: { PATH: '/usr/bin' }, exists: (path) => present.has(path) })).toEqual({ path: '/usr/bin/firefox-esr' });
    expect(locateFirefox({ env: { PATH: '/usr/bin', BAOMI_FIREFOX_PATH: '/x' }, exists: (path) => present.has(path) })).toEqual({
      problem: 'BAOMI_FIREFOX_PATH=/x does not exist',
    });
  });
});

describe('planRemedy: what test:all does', () => {
  it('Debian as root: installs the four packages and starts PostgreSQL', () => {
    const m = bare();
    expect(planRemedy(findMissing(m), m)).toEqual({
      kind: 'act',
      install: ['chromium', 'firefox-esr', 'fonts-noto-cjk', 'postgresql'],
      startPostgres: true,
    });
  });

  it('PostgreSQL installed but not named: starts it, installs nothing', () => {
    const m = machine({ env: { PATH: '/usr/bin' } });
    expect(planRemedy(findMissing(m), m)).toEqual({ kind: 'act', install: [], startPostgres: true });
  });

  it('nothing missing: nothing to do', () => {
    expect(planRemedy([], machine())).toEqual({ kind: 'act', install: [], startPostgres: false });
  });

  it.each<[string, Machine]>([
    ['not root', bare({ root: false })],
    ['not Debian', bare({ debian: false })],
    ['a wrong path in a variable, beside fixable things', bare({ env: { PATH: '/usr/bin', BAOMI_FIREFOX_PATH: '/nope' } })],
    ['a database URL that does not answer', machine({ databaseError: 'timeout' })],
  ])('%s: refuses, with everything missing, and installs nothing', (_name, m) => {
    const missing = findMissing(m);
    expect(planRemedy(missing, m)).toEqual({ kind: 'refuse', missing });
  });
});

describe('the messages', () => {
  it('Debian, not root: says it stopped, why each thing is needed, and the exact commands with sudo', () => {
    const m = bare({ root: false });
    const text = describeMissing(findMissing(m), m, 'npm test');
    expect(text).toContain('测试环境不完整，未运行任何测试。');
    expect(text).toContain('npm test stopped before running any suite');
    expect(text).toContain('✗ Chromium: the e2e suites load the built extension');
    expect(text).toContain('✗ Firefox ESR ≥ 128');
    expect(text).toContain('✗ a Chinese font (Noto CJK)');
    expect(text).toContain('✗ PostgreSQL');
    expect(text).toContain('  sudo apt-get install -y chromium firefox-esr fonts-noto-cjk postgresql');
    expect(text).toContain('  export BAOMI_TEST_DATABASE_URL="$(sudo bash scripts/ci/start-postgres.sh)"');
    expect(text).toContain('Or run npm run test:all as root');
    expect(text).toContain('BAOMI_SKIP_POSTGRES=1 to run without it');
  });

  it('Debian as root: no sudo', () => {
    const m = bare();
    const text = describeMissing(findMissing(m), m, 'npm test');
    expect(text).toContain('\n  apt-get install -y chromium firefox-esr fonts-noto-cjk postgresql');
    expect(text).not.toContain('sudo');
    expect(text).toContain('Or run npm run test:all: it does the above, then runs all the tests (npm test).');
  });

  it('names the command that stopped; test:all does not point at itself', () => {
    const m = bare({ root: false });
    expect(describeMissing(findMissing(m), m, 'npm run test:unit')).toContain('npm run test:unit stopped before running any suite');
    expect(describeMissing(findMissing(m), m, 'npm run test:all')).not.toContain('Or run npm run test:all');
  });

  it('elsewhere: the variables to set, Debian names only for reference', () => {
    const m = bare({ debian: false });
    const text = describeMissing(findMissing(m), m, 'npm test');
    expect(text).toContain('PUPPETEER_EXECUTABLE_PATH=/path/to/chrome');
    expect(text).toContain('BAOMI_FIREFOX_PATH=/path/to/firefox');
    expect(text).toContain('export BAOMI_TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DATABASE');
    expect(text).toContain('(their Debian packages, for reference: chromium firefox-esr fonts-noto-cjk postgresql)');
    expect(text).not.toContain('apt-get install');
    expect(text).not.toContain('test:all');
  });

  it('a wrong variable: how to fix that variable, no install line', () => {
    const m = machine({ env: { PATH: '/usr/bin', BAOMI_TEST_DATABASE_URL: PG_URL, BAOMI_FIREFOX_PATH: '/nope' } });
    const text = describeMissing(findMissing(m), m, 'npm test');
    expect(text).toContain('found: BAOMI_FIREFOX_PATH=/nope does not exist');
    expect(text).toContain('point BAOMI_FIREFOX_PATH at a Firefox');
    expect(text).not.toContain('apt-get');
  });

  it('install lines say what each package is for', () => {
    expect(describeInstall(['chromium', 'postgresql']).split('\n')).toEqual([
      '安装测试所需的软件包 / Installing what the tests need (apt-get):',
      '  + chromium  — Chromium: the e2e suites load the built extension into a real Chromium (Puppeteer)',
      '  + postgresql  — PostgreSQL: the storage tests run every query on SQLite and on PostgreSQL',
    ]);
  });

  it.each([
    [{ BAOMI_SKIP_POSTGRES: '1' }, true],
    [{ BAOMI_SKIP_POSTGRES: '1', BAOMI_TEST_DATABASE_URL: PG_URL }, false],
    [{ BAOMI_TEST_DATABASE_URL: PG_URL }, false],
    [{}, false],
  ])('not-run note for %o: %s', (env, expected) => {
    expect(describeNotRun(env, 'end') !== null).toBe(expected);
  });

  it('the not-run note: before the suites and after them', () => {
    const env = { BAOMI_SKIP_POSTGRES: '1' };
    expect(describeNotRun(env, 'start')).toBe(
      '注意：PostgreSQL 存储测试未运行（BAOMI_SKIP_POSTGRES=1）。\n' +
        'Not run: the PostgreSQL storage cases (BAOMI_SKIP_POSTGRES=1); they will show as skipped. Set BAOMI_TEST_DATABASE_URL to run them.',
    );
    expect(describeNotRun(env, 'end')).toContain('they show as skipped above');
  });
});

describe('helpers', () => {
  it.each([
    ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n', true],
    ['ID="debian"\n', true],
    ['NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', false],
    ['ID=fedora\n', false],
    ['', false],
  ])('isDebianOsRelease(%j) = %s', (text, expected) => {
    expect(isDebianOsRelease(text)).toBe(expected);
  });

  it.each([
    ['postgres://baomi:baomi@127.0.0.1:5432/postgres', 'postgres://baomi:***@127.0.0.1:5432/postgres'],
    ['postgres://baomi@127.0.0.1/postgres', 'postgres://baomi@127.0.0.1/postgres'],
    ['postgres://127.0.0.1/postgres', 'postgres://127.0.0.1/postgres'],
  ])('redactPassword(%s)', (url, expected) => {
    expect(redactPassword(url)).toBe(expected);
  });
});

describe('describeReady: what the run will use', () => {
  it('names the browsers found, the font, and the database without its password', () => {
    expect(describeReady(machine())).toBe(
      'test environment: Chromium /usr/bin/chromium, Firefox /usr/bin/firefox-esr, a Chinese font, PostgreSQL postgres://baomi:***@127.0.0.1:5432/postgres',
    );
  });

  it('only the needs asked for; PostgreSQL left out says so', () => {
    expect(describeReady(machine({ env: { PATH: '/usr/bin', BAOMI_SKIP_POSTGRES: '1' } }), ['firefox', 'postgresql'])).toBe(
      'test environment: Firefox /usr/bin/firefox-esr, PostgreSQL not run',
    );
  });
});
