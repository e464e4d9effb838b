/**
 * Command-line scanner: `npm run scan -- [--all] [--json-summary] [FILE ...]`
 *
 * Scans each FILE (UTF-8), or stdin when none is given, with the detection engine and
 * prints one JSON object per finding per line on stdout:
 *   {"file","type","level","start","end","masked","confidence"}
 * (`file` is the path, or "-" for stdin; start/end are UTF-16 offsets). The raw value
 * (`normalized`) is never printed. A one-line summary goes to stderr.
 *
 *   --json-summary  print instead one JSON object with counts by type and by level
 *   --all           also enable the detectors that are off by default (resident ID,
 *                   bank card, e-mail)
 *
 * Exit status: 0 nothing found, 1 something found, 2 an error (e.g. an unreadable
 * file: reported on stderr, the other files are still scanned; 2 wins over 1).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_DETECTORS, scanText, type DetectorSettings, type Finding } from '../utils/detect/index';

const USAGE = 'usage: npm run scan -- [--all] [--json-summary] [FILE ...]   (no FILE: read stdin)';

interface Args {
  files: string[];
  jsonSummary: boolean;
  all: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { files: [], jsonSummary: false, all: false };
  let onlyFiles = false;
  for (const a of argv) {
    if (onlyFiles) args.files.push(a);
    else if (a === '--') onlyFiles = true;
    else if (a === '--json-summary') args.jsonSummary = true;
    else if (a === '--all') args.all = true;
    else if (a === '-h' || a === '--help') return 'help';
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else args.files.push(a);
  }
  return args;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function errorMessage(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e) {
    const code = String((e as { code: unknown }).code);
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return e instanceof Error ? e.message : code;
  }
  return e instanceof Error ? e.message : String(e);
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (typeof parsed === 'string') {
    process.stderr.write(`scan: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const detectors: DetectorSettings = parsed.all
    ? {
        ...DEFAULT_DETECTORS,
        residentId: { ...DEFAULT_DETECTORS.residentId, enabled: true },
        bankCard: { ...DEFAULT_DETECTORS.bankCard, enabled: true },
        email: { ...DEFAULT_DETECTORS.email, enabled: true },
      }
    : DEFAULT_DETECTORS;

  const inputs = parsed.files.length > 0 ? parsed.files : ['-'];
  const byType: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  let total = 0;
  let errors = 0;
  let scanned = 0;
  const out: string[] = [];
  const flush = (): void => {
    if (out.length > 0) {
      process.stdout.write(out.join(''));
      out.length = 0;
    }
  };

  for (const file of inputs) {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
    } catch (e) {
      errors++;
      process.stderr.write(`scan: cannot read ${file}: ${errorMessage(e)}\n`);
      continue;
    }
    scanned++;
    let findings: Finding[];
    try {
      findings = scanText(text, { detectors });
    } catch (e) {
      errors++;
      process.stderr.write(`scan: failed on ${file}: ${errorMessage(e)}\n`);
      continue;
    }
    for (const f of findings) {
      total++;
      byType[f.type] = (byType[f.type] ?? 0) + 1;
      byLevel[f.level] = (byLevel[f.level] ?? 0) + 1;
      if (!parsed.jsonSummary) {
        // Only these fields: never `normalized`.
        out.push(
          JSON.stringify({
            file,
            type: f.type,
            level: f.level,
            start: f.start,
            end: f.end,
            masked: f.masked,
            confidence: f.confidence,
          }) + '\n',
        );
        if (out.length >= 1024) flush();
      }
    }
    flush();
  }

  if (parsed.jsonSummary) {
    process.stdout.write(JSON.stringify({ files: scanned, errors, findings: total, byType, byLevel }) + '\n');
  }
  const parts = Object.entries(byType).map(([t, n]) => `${t} ${n}`);
  process.stderr.write(
    `scan: ${total} finding${total === 1 ? '' : 's'} in ${scanned} file${scanned === 1 ? '' : 's'}` +
      (parts.length ? ` (${parts.join(', ')})` : '') +
      (errors ? `; ${errors} error${errors === 1 ? '' : 's'}` : '') +
      '\n',
  );
  return errors > 0 ? 2 : total > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`scan: ${errorMessage(e)}\n`);
    process.exitCode = 2;
  },
);
