/**
 * What the test suites need from the machine beyond Node and npm, and what to say or do when
 * something is missing. Pure: the machine comes in as a {@link Machine} (built from the real one
 * by `probe.ts`, from a table in the tests), so the messages are tested without touching it.
 *
 * Used by `npm test`'s first step (`scripts/test-preflight.ts`: stop before any suite) and by
 * `npm run test:all` (`scripts/test-all.ts`: install on Debian as root, start PostgreSQL, then
 * `npm test`). `.ci/run` is `npm ci && npm run test:all`, so CI takes the README's path.
 */
import { CHROME_FOR_TESTING_CACHE, locateChromium, locateFirefox, type BrowserLookup } from '../../tests/e2e/support/browser-paths';

export type Need = 'chromium' | 'firefox' | 'cjk-font' | 'postgresql';
export const ALL_NEEDS: readonly Need[] = ['chromium', 'firefox', 'cjk-font', 'postgresql'];

/** The opt-out: run without PostgreSQL; its cases are reported as not run (never as passed). */
export const SKIP_POSTGRES_VAR = 'BAOMI_SKIP_POSTGRES';

/** What the checks read of the machine. */
export interface Machine extends BrowserLookup {
  /** A font with Chinese glyphs is installed (fontconfig knows one; macOS and Windows ship them). */
  cjkFont: boolean;
  /** PostgreSQL's server is installed where `scripts/ci/start-postgres.sh` starts it (Debian's layout). */
  postgresInstalled: boolean;
  /** How $BAOMI_TEST_DATABASE_URL answered: null when it did, the error otherwise; undefined when not asked. */
  databaseError?: string | null;
  /** Running as root (may apt-get and start Debian's PostgreSQL). */
  root: boolean;
  /** Debian with apt-get: the package names below are right and installable. */
  debian: boolean;
}

export interface Missing {
  need: Need;
  /** What is wrong, as found. */
  problem: string;
  /** Debian package that provides it, when installing one fixes the problem. */
  debianPackage?: string;
  /** How to fix it anywhere else: what to install, which variable to set. */
  otherwise: string;
}

/** What each need is for: printed with every install and every refusal. */
export const PURPOSE: Readonly<Record<Need, string>> = {
  chromium: 'Chromium: the e2e suites load the built extension into a real Chromium (Puppeteer)',
  firefox: 'Firefox ESR ≥ 128: the e2e-firefox suites run the guard again in Firefox (WebDriver BiDi)',
  'cjk-font': 'a Chinese font (Noto CJK): printed pages and screenshots must show Chinese text, the watermark tests read it back',
  postgresql: 'PostgreSQL: the storage tests run every query on SQLite and on PostgreSQL',
};

export const DEBIAN_PACKAGE: Readonly<Record<Need, string>> = {
  chromium: 'chromium',
  firefox: 'firefox-esr',
  'cjk-font': 'fonts-noto-cjk',
  postgresql: 'postgresql',
};

function skipPostgres(env: Machine['env']): boolean {
  return env[SKIP_POSTGRES_VAR] === '1';
}

function checkChromium(machine: Machine): Missing | null {
  const found = locateChromium(machine);
  if ('path' in found) return null;
  if (machine.env.PUPPETEER_EXECUTABLE_PATH) {
    return {
      need: 'chromium',
      problem: found.problem,
      otherwise: 'point PUPPETEER_EXECUTABLE_PATH at a Chromium or Chrome executable, or unset it',
    };
  }
  return {
    need: 'chromium',
    problem: found.problem,
    debianPackage: DEBIAN_PACKAGE.chromium,
    otherwise:
      'install Chromium or Chrome and set PUPPETEER_EXECUTABLE_PATH=/path/to/chrome, ' +
      `or (with internet) npx @puppeteer/browsers install chrome@stable --path ${CHROME_FOR_TESTING_CACHE}`,
  };
}

function checkFirefox(machine: Machine): Missing | null {
  const found = locateFirefox(machine);
  if ('path' in found) return null;
  if (machine.env.BAOMI_FIREFOX_PATH) {
    return {
      need: 'firefox',
      problem: found.problem,
      otherwise: 'point BAOMI_FIREFOX_PATH at a Firefox (ESR ≥ 128) executable, or unset it',
    };
  }
  return {
    need: 'firefox',
    problem: found.problem,
    debianPackage: DEBIAN_PACKAGE.firefox,
    otherwise: 'install Firefox ESR ≥ 128 and set BAOMI_FIREFOX_PATH=/path/to/firefox',
  };
}

function checkCjkFont(machine: Machine): Missing | null {
  if (machine.cjkFont) return null;
  return {
    need: 'cjk-font',
    problem: 'no font with Chinese glyphs (fc-list :lang=zh lists none)',
    debianPackage: DEBIAN_PACKAGE['cjk-font'],
    otherwise: 'install Noto Sans CJK (or another Chinese font fontconfig finds)',
  };
}

const POSTGRES_URL_HINT = 'export BAOMI_TEST_DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DATABASE (a role that may CREATE SCHEMA)';

function checkPostgres(machine: Machine): Missing | null {
  const url = machine.env.BAOMI_TEST_DATABASE_URL;
  if (!url) {
    if (skipPostgres(machine.env)) return null;
    return {
      need: 'postgresql',
      problem: machine.postgresInstalled
        ? 'BAOMI_TEST_DATABASE_URL is not set (PostgreSQL is installed, but no test database is named)'
        : 'BAOMI_TEST_DATABASE_URL is not set and no PostgreSQL server is installed',
      ...(machine.postgresInstalled ? {} : { debianPackage: DEBIAN_PACKAGE.postgresql }),
      otherwise: `${POSTGRES_URL_HINT}; or ${SKIP_POSTGRES_VAR}=1 to run without it (its cases are then reported as not run)`,
    };
  }
  if (machine.databaseError == null) return null;
  return {
    need: 'postgresql',
    problem: `BAOMI_TEST_DATABASE_URL=${redactPassword(url)} does not answer: ${machine.databaseError}`,
    otherwise: `start that server, or ${POSTGRES_URL_HINT}`,
  };
}

const CHECKS: Readonly<Record<Need, (machine: Machine) => Missing | null>> = {
  chromium: checkChromium,
  firefox: checkFirefox,
  'cjk-font': checkCjkFont,
  postgresql: checkPostgres,
};

/** Everything among `needs` the machine lacks, in the order of `needs`. */
export function findMissing(machine: Machine, needs: readonly Need[] = ALL_NEEDS): Missing[] {
  return needs.map((need) => CHECKS[need](machine)).filter((missing): missing is Missing => missing !== null);
}

/** A URL's password is not printed (it may be a real one). */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * What `npm run test:all` does about `missing`: on Debian as root it installs the packages and
 * starts Debian's PostgreSQL; anything it cannot fix that way (a wrong path in a variable, a
 * database URL that does not answer, another system, no root) makes it stop and print
 * {@link describeMissing} before installing anything: never half an environment.
 */
export type Remedy =
  | { kind: 'act'; install: string[]; startPostgres: boolean }
  /** Something here cannot be fixed by apt-get and start-postgres.sh: print all of `missing`, change nothing. */
  | { kind: 'refuse'; missing: Missing[] };

export function planRemedy(missing: readonly Missing[], machine: Machine): Remedy {
  const canAct = machine.root && machine.debian;
  const fixable = (item: Missing) =>
    canAct && (item.debianPackage !== undefined || (item.need === 'postgresql' && !machine.env.BAOMI_TEST_DATABASE_URL));
  if (!missing.every(fixable)) return { kind: 'refuse', missing: [...missing] };
  return {
    kind: 'act',
    install: missing.flatMap((item) => (item.debianPackage ? [item.debianPackage] : [])),
    startPostgres: missing.some((item) => item.need === 'postgresql'),
  };
}

/** The lines `test:all` prints before it installs: each package and what it is for. */
export function describeInstall(packages: readonly string[]): string {
  const lines = packages.map((pkg) => {
    const need = (Object.keys(DEBIAN_PACKAGE) as Need[]).find((key) => DEBIAN_PACKAGE[key] === pkg);
    return `  + ${pkg}  — ${need ? PURPOSE[need] : pkg}`;
  });
  return ['安装测试所需的软件包 / Installing what the tests need (apt-get):', ...lines].join('\n');
}

/** The command that stopped, as typed: `npm test`, `npm run test:unit`, `npm run test:all`… */
export type Caller = string;
export const TEST_ALL = 'npm run test:all';

/**
 * The refusal: what is missing, why the tests need it, and exactly how to get it — Debian
 * package names when on Debian, the variables to set anywhere. Ends with the one command that
 * does it all where that can work.
 */
export function describeMissing(missing: readonly Missing[], machine: Machine, caller: Caller): string {
  const lines = ['测试环境不完整，未运行任何测试。', `The test environment is incomplete: ${caller} stopped before running any suite.`, ''];
  for (const item of missing) {
    lines.push(`  ✗ ${PURPOSE[item.need]}`, `      found: ${item.problem}`);
    if (item.debianPackage && machine.debian) lines.push(`      Debian: apt-get install ${item.debianPackage}`);
    lines.push(`      otherwise: ${item.otherwise}`);
  }
  const packages = missing.flatMap((item) => (item.debianPackage ? [item.debianPackage] : []));
  const needsDatabaseUrl = missing.some((item) => item.need === 'postgresql' && !machine.env.BAOMI_TEST_DATABASE_URL);
  const sudo = machine.root ? '' : 'sudo ';
  if (machine.debian) {
    const steps = [
      ...(packages.length > 0 ? [`  ${sudo}apt-get install -y ${packages.join(' ')}`] : []),
      ...(needsDatabaseUrl ? [`  export BAOMI_TEST_DATABASE_URL="$(${sudo}bash scripts/ci/start-postgres.sh)"`] : []),
    ];
    if (steps.length > 0) lines.push('', 'On this Debian machine:', ...steps);
    const allFixable = missing.every((item) => item.debianPackage || (item.need === 'postgresql' && needsDatabaseUrl));
    if (allFixable && caller !== TEST_ALL) {
      lines.push(`Or run ${TEST_ALL}${machine.root ? '' : ' as root'}: it does the above, then runs all the tests (npm test).`);
    }
  } else if (packages.length > 0 || needsDatabaseUrl) {
    lines.push('', 'Install the above with your system’s package manager and set the variables named.');
    if (packages.length > 0) lines.push(`  (their Debian packages, for reference: ${packages.join(' ')})`);
  }
  return lines.join('\n');
}

/**
 * Printed when a run leaves PostgreSQL out on purpose — at its start and again after its last
 * suite — so a green run never reads as "everything passed". Null when nothing is left out.
 */
export function describeNotRun(env: Machine['env'], when: 'start' | 'end'): string | null {
  if (env.BAOMI_TEST_DATABASE_URL || !skipPostgres(env)) return null;
  const where = when === 'start' ? 'they will show as skipped' : 'they show as skipped above';
  return [
    '注意：PostgreSQL 存储测试未运行（BAOMI_SKIP_POSTGRES=1）。',
    `Not run: the PostgreSQL storage cases (${SKIP_POSTGRES_VAR}=1); ${where}. Set BAOMI_TEST_DATABASE_URL to run them.`,
  ].join('\n');
}

/** One line saying what the run will use, for the log. */
export function describeReady(machine: Machine, needs: readonly Need[] = ALL_NEEDS): string {
  const url = machine.env.BAOMI_TEST_DATABASE_URL;
  const parts = needs.map((need) => {
    if (need === 'chromium') return `Chromium ${pathOf(locateChromium(machine))}`;
    if (need === 'firefox') return `Firefox ${pathOf(locateFirefox(machine))}`;
    if (need === 'cjk-font') return machine.cjkFont ? 'a Chinese font' : 'no Chinese font';
    return `PostgreSQL ${url ? redactPassword(url) : skipPostgres(machine.env) ? 'not run' : 'not set'}`;
  });
  return `test environment: ${parts.join(', ')}`;
}

function pathOf(found: ReturnType<typeof locateChromium>): string {
  return 'path' in found ? found.path : 'not found';
}

/** Whether /etc/os-release names Debian itself (Ubuntu and others name packages differently: no firefox-esr). */
export function isDebianOsRelease(osRelease: string): boolean {
  const id = /^ID=(.*)$/m
    .exec(osRelease)?.[1]
    ?.trim()
    .replace(/^["']|["']$/g, '');
  return id === 'debian';
}
