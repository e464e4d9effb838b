/**
 * `npm test`'s first step: stops the run at once, saying what to install, when the machine
 * lacks a browser, the Chinese font or the PostgreSQL the suites need — instead of failing
 * deep inside a suite, or skipping PostgreSQL's cases and calling the run green.
 *
 *   tsx scripts/test-preflight.ts [NEED ...]   check NEEDs (chromium firefox cjk-font postgresql; all when none)
 *   tsx scripts/test-preflight.ts --not-run    last step: say what a green run left out (BAOMI_SKIP_POSTGRES=1)
 *
 * Exit status: 0 ready, 1 something missing (the message is on stderr), 2 bad arguments.
 */
import { probeMachine } from './test-env/probe';
import { ALL_NEEDS, describeMissing, describeNotRun, describeReady, findMissing, type Need } from './test-env/requirements';

/** The npm script that ran us (`npm test`, `npm run test:unit`), for the message. */
function callerOf(env: NodeJS.ProcessEnv): string {
  const script = env.npm_lifecycle_event;
  if (!script || script === 'test') return 'npm test';
  return `npm run ${script}`;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--not-run') {
    const notRun = describeNotRun(process.env, 'end');
    if (notRun) process.stderr.write(`\n${notRun}\n`);
    return 0;
  }
  const unknown = argv.filter((arg) => !(ALL_NEEDS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    process.stderr.write(`test-preflight: unknown need ${unknown.join(', ')} (known: ${ALL_NEEDS.join(' ')})\n`);
    return 2;
  }
  const needs = argv.length > 0 ? (argv as Need[]) : ALL_NEEDS;
  const machine = await probeMachine(process.env, { askDatabase: needs.includes('postgresql') });
  const missing = findMissing(machine, needs);
  if (missing.length > 0) {
    process.stderr.write(`\n${describeMissing(missing, machine, callerOf(process.env))}\n\n`);
    return 1;
  }
  process.stdout.write(`${describeReady(machine, needs)}\n`);
  const notRun = describeNotRun(process.env, 'start');
  if (notRun) process.stderr.write(`${notRun}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
