/**
 * `npm run test:all`: the README's test command for a fresh machine, and what CI runs
 * (`.ci/run` is `npm ci && npm run test:all`). It finds what the suites need (Chromium,
 * Firefox ESR, a Chinese font, PostgreSQL); on Debian as root it installs what is missing with
 * apt-get, saying what each package is for, and starts Debian's PostgreSQL
 * (`scripts/ci/start-postgres.sh`); then it runs `npm test` with BAOMI_TEST_DATABASE_URL set.
 * Where it cannot install (not root, not Debian, a variable pointing nowhere) it prints exactly
 * what to install and set, changes nothing, and exits 1 before any suite runs.
 *
 *   npm run test:all                 prepare the machine, then npm test
 *   npm run test:all -- --env-only   prepare the machine and stop; prints the export line for
 *                                    BAOMI_TEST_DATABASE_URL (to run single suites by hand)
 */
import { spawnSync } from 'node:child_process';
import { probeMachine } from './test-env/probe';
import { describeInstall, describeMissing, describeReady, findMissing, planRemedy, TEST_ALL } from './test-env/requirements';

const USAGE = 'usage: npm run test:all [-- --env-only]';

function say(line: string): void {
  process.stdout.write(`test:all: ${line}\n`);
}

/** Runs a command with the terminal attached; true when it exited 0. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) process.stderr.write(`test:all: ${command}: ${result.error.message}\n`);
  return result.status === 0;
}

/**
 * apt-get, dpkg, the packages' install scripts and PostgreSQL's cluster tools expect the system
 * folders (sbin too), whatever $PATH the caller has (`su` without `-` keeps a user's PATH).
 */
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function withSystemPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: env.PATH ? `${env.PATH}:${SYSTEM_PATH}` : SYSTEM_PATH };
}

function aptInstall(packages: string[], env: NodeJS.ProcessEnv): boolean {
  const aptEnv = { ...withSystemPath(env), DEBIAN_FRONTEND: 'noninteractive' };
  return run('apt-get', ['update', '-qq'], aptEnv) && run('apt-get', ['install', '-y', '-qq', ...packages], aptEnv);
}

/** Starts Debian's PostgreSQL with the test role; its URL, or null (the script's errors are on stderr). */
function startPostgres(env: NodeJS.ProcessEnv): string | null {
  const result = spawnSync('bash', ['scripts/ci/start-postgres.sh'], {
    env: withSystemPath(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = result.stdout?.trim();
  return result.status === 0 && url ? url : null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.some((arg) => arg !== '--env-only')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const envOnly = argv.includes('--env-only');
  const env: NodeJS.ProcessEnv = { ...process.env };

  const before = await probeMachine(env, { askDatabase: true });
  const missing = findMissing(before);
  const remedy = planRemedy(missing, before);
  if (remedy.kind === 'refuse') {
    process.stderr.write(`\n${describeMissing(missing, before, TEST_ALL)}\n\n`);
    return 1;
  }
  if (remedy.install.length > 0) {
    process.stdout.write(`${describeInstall(remedy.install)}\n`);
    if (!aptInstall(remedy.install, env)) {
      process.stderr.write(`test:all: apt-get could not install ${remedy.install.join(' ')}; no suite was run\n`);
      return 1;
    }
  }
  if (remedy.startPostgres) {
    say('starting PostgreSQL for the storage tests (scripts/ci/start-postgres.sh: Debian cluster on 127.0.0.1:5432, role baomi)');
    const url = startPostgres(env);
    if (!url) {
      process.stderr.write('test:all: PostgreSQL did not start (see above); no suite was run\n');
      return 1;
    }
    env.BAOMI_TEST_DATABASE_URL = url;
  }

  // Check again exactly as npm test's preflight will: an install that did not help stops here.
  const after = await probeMachine(env, { askDatabase: true });
  const stillMissing = findMissing(after);
  if (stillMissing.length > 0) {
    process.stderr.write(`\n${describeMissing(stillMissing, after, TEST_ALL)}\n\n`);
    return 1;
  }
  say(describeReady(after));

  if (envOnly) {
    if (env.BAOMI_TEST_DATABASE_URL) process.stdout.write(`export BAOMI_TEST_DATABASE_URL='${env.BAOMI_TEST_DATABASE_URL}'\n`);
    say('--env-only: stopping before the suites');
    return 0;
  }
  say('running npm test');
  return run('npm', ['test'], env) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
