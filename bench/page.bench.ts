/**
 * Page benchmark: the same pages in the same run, in Chromium without and with the
 * built extension (npm run build first).
 *
 *  - table: a 10,000-row customer table (server-rendered, marked 机密);
 *  - chat: a page appending 5,000 messages (50 per task);
 *  - copy: a 1 MB selection (1 MB of text in <p> blocks, no customer data: worst case),
 *    selected once the page has settled; median of nine copies, and the first one.
 *
 * Load time: navigation start → load event (table) or → the last message appended
 * (chat). Content-script time: main-thread time with an extension script on the stack,
 * from a CDP CPU profile of one extra run (with the extension only). Longest task, any:
 * PerformanceObserver 'longtask' entries (> 50 ms) over load + settle; the page's own
 * tasks are in both columns (the table's parse task is the page's: over a second).
 * Extension part of a task, the figure the goal is about: from a trace of the first load
 * in a fresh browser (cold) and of a later one (warm), the longest time extension code ran
 * inside one task (bench/lib/trace-tasks.ts). Timed loads alternate between the two
 * browsers (runBoth). Copy decision: time of a copy event's dispatch over a 1 MB
 * selection (with − without), i.e. the guard's synchronous decision.
 *
 *
 * No-op reference: a third browser loads a tiny MV3 extension whose content script does
 * nothing (written to bench/fixtures/noop-extension at run time, removed afterwards):
 * Chromium loads pages differently with any extension, so "with / no-op" is the cost of
 * Baomi Guard itself. Heap: on a page with 20 same-origin iframes (plain.html) and on
 * the table, after a forced GC, the renderer's JS heap (CDP Runtime.getHeapUsage; the
 * isolated worlds live in the page's isolate) in each browser; the isolated world's heap
 * per frame is (with − no-op) / frames. Where the content script's time goes: the
 * extension functions with the most self time in the profiled table load.
 *
 * Prints a table, then one JSON object on the last line.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../tests/e2e/support/browser';
import { startFixtureServer, type FixtureServer } from '../tests/e2e/support/fixture-server';
import { extensionMs } from './lib/cpu-profile';
import { extensionTasks, type ExtensionTasks, type TraceEvent } from './lib/trace-tasks';

const SETTLE_MS = 2500;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/**
 * Copies of the 1 MB selection per browser; the median is the figure. Single copies swing
 * between 10 and 40 ms on this shared machine (GC, other tenants), so nine, not five.
 */
const COPIES = 9;

interface PageRun {
  loadMs: number;
  scriptMs: number;
  longestTaskMs: number;
  tasks?: ExtensionTasks;
  /** Extension functions by self time (profiled runs only). */
  hotspots?: Hotspot[];
}

interface Hotspot {
  fn: string;
  ms: number;
}

const NOOP_DIR = fileURLToPath(new URL('./fixtures/noop-extension/', import.meta.url));

/** A tiny MV3 extension whose content script runs in every frame and does nothing. */
function writeNoopExtension(): string {
  mkdirSync(NOOP_DIR, { recursive: true });
  writeFileSync(
    NOOP_DIR + 'manifest.json',
    JSON.stringify({
      manifest_version: 3,
      name: 'No-op content script',
      version: '1.0',
      content_scripts: [
        { matches: ['<all_urls>'], js: ['content.js'], run_at: 'document_start', all_frames: true, match_about_blank: true },
      ],
    }),
  );
  writeFileSync(NOOP_DIR + 'content.js', '// Intentionally empty: the reference for bench:page.\n');
  return NOOP_DIR;
}

interface CpuNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** Self time of extension functions (chrome-extension:// frames), top `count`. */
function hotspots(profile: { nodes: CpuNode[]; samples?: number[]; timeDeltas?: number[] }, count: number): Hotspot[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!)!;
    const url = node.callFrame.url;
    if (!url.startsWith('chrome-extension://')) continue;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${url.slice(url.indexOf('/', 19))}:${node.callFrame.lineNumber + 1}:${node.callFrame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10 }));
}

const FRAMES = 20;

interface HeapRun {
  usedMB: number;
  /** Isolated worlds (extension content-script contexts) seen in the page's frames. */
  isolatedWorlds: number;
  frames: number;
}

/** JS heap of the page's renderer after a forced GC, once the page (and its frames) settled. */
async function heapOf(browser: Browser, url: string, frames: number): Promise<HeapRun> {
  console.error(`bench: heap ${url}${frames ? ` + ${frames} iframes` : ''}`);
  const page = await browser.newPage();
  const session = await page.createCDPSession();
  let isolatedWorlds = 0;
  // Extension worlds only: Puppeteer adds an isolated utility world of its own to each frame.
  session.on('Runtime.executionContextCreated', (event: { context: { origin: string; auxData?: { type?: string } } }) => {
    if (event.context.auxData?.type === 'isolated' && event.context.origin.startsWith('chrome-extension://')) isolatedWorlds++;
  });
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  if (frames > 0) {
    await page.evaluate(
      (src: string, count: number) =>
        Promise.all(
          Array.from({ length: count }, (_, i) => {
            const frame = document.createElement('iframe');
            frame.src = `${src}?frame=${i}`;
            const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
            document.body.append(frame);
            return loaded;
          }),
        ),
      url,
      frames,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await session.send('Runtime.enable'); // reports the contexts of every frame
  await new Promise((resolve) => setTimeout(resolve, 200));
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  const frameCount = page.frames().length;
  await session.detach();
  await page.close();
  return { usedMB: usedSize / 1024 / 1024, isolatedWorlds, frames: frameCount };
}

async function preparePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    const store: number[] = [];
    (window as unknown as { __longtasks: number[] }).__longtasks = store;
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) store.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      /* no longtask support */
    }
  });
  return page;
}

type Instrument = 'none' | 'profile' | 'trace';

async function measure(browser: Browser, url: string, done: 'load' | 'chat', instrument: Instrument = 'none'): Promise<PageRun> {
  console.error(`bench: ${url}${instrument === 'none' ? '' : ` (${instrument})`}`);
  const page = await preparePage(browser);
  const session = instrument === 'profile' ? await page.createCDPSession() : null;
  if (session) {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 250 });
    await session.send('Profiler.start');
  }
  if (instrument === 'trace') await page.tracing.start({ categories: ['devtools.timeline', 'toplevel'] });
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  let loadMs: number;
  if (done === 'chat') {
    await page.waitForFunction(() => (window as unknown as { __chatDone?: number }).__chatDone, { timeout: 120_000, polling: 100 });
    loadMs = await page.evaluate(() => (window as unknown as { __chatDone: number }).__chatDone);
  } else {
    loadMs = await page.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return nav ? nav.loadEventEnd : performance.now();
    });
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  let scriptMs = 0;
  let hot: Hotspot[] | undefined;
  if (session) {
    const { profile: cpuProfile } = await session.send('Profiler.stop');
    scriptMs = extensionMs(cpuProfile as unknown as Parameters<typeof extensionMs>[0]);
    hot = hotspots(cpuProfile as unknown as Parameters<typeof hotspots>[0], 8);
    await session.detach();
  }
  let tasks: ExtensionTasks | undefined;
  if (instrument === 'trace') {
    const trace = JSON.parse(new TextDecoder().decode(await page.tracing.stop())) as { traceEvents: TraceEvent[] };
    tasks = extensionTasks(trace.traceEvents);
  }
  const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { __longtasks: number[] }).__longtasks));
  await page.close();
  return { loadMs, scriptMs, longestTaskMs: longest, tasks, hotspots: hot };
}

interface CopyRun {
  /** Median of COPIES copies. */
  medianMs: number;
  /** The first copy of the page's life: nothing of the guard's copy path is warm yet. */
  firstMs: number;
}

async function copyMs(browser: Browser, server: FixtureServer): Promise<CopyRun> {
  console.error('bench: copy 1 MB');
  const page = await browser.newPage();
  await page.goto(server.url('/late.html'), { waitUntil: 'load' });
  await page.bringToFront();
  await page.evaluate(() => {
    // ~1 MB of ordinary text with no customer data: the detector must read all of it.
    const line = '本季度销售会议纪要：讨论渠道拓展、产品定价与售后服务流程优化，订单编号 2024-001。';
    const host = document.createElement('div');
    host.id = 'copy-host';
    const parts: string[] = [];
    for (let size = 0; size < 1_000_000; size += line.length + 11) parts.push(`<p>${line}</p>`);
    host.innerHTML = parts.join('');
    document.body.append(host);
  });
  // The text is on screen before anyone selects and copies it: the page settles first
  // (as for the load figures), then the whole text is selected and copied.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const times = await page.evaluate((copies: number) => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('copy-host')!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const times: number[] = [];
    for (let i = 0; i < copies; i++) {
      // A trusted-path-equivalent copy event: the guard's capture listener runs synchronously
      // inside dispatchEvent (selection text, text map, scan, decide). The browser's own
      // serialisation of 1 MB to the clipboard is left out of both columns.
      const event = new ClipboardEvent('copy', { clipboardData: new DataTransfer(), bubbles: true, cancelable: true });
      const start = performance.now();
      document.dispatchEvent(event);
      times.push(performance.now() - start);
    }
    return times;
  }, COPIES);
  await page.close();
  return { medianMs: median(times), firstMs: times[0]! };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const TABLE = '/gen/table.html?rows=10000';
const CHAT = '/gen/chat.html?messages=5000';

interface ModeResult {
  table: PageRun[];
  chat: PageRun[];
}

/**
 * Both browsers stay open and take turns, load by load, in alternating order: on a shared
 * machine the load drifts over minutes, and a drift must not land on one column only.
 * Each browser first loads both pages once, untimed: the first load of a fresh browser is
 * cold for the page too. With the extension, that cold load is traced: the extension's
 * longest task comes from it (its scripts are compiled for the first time there).
 */
async function runBoth(server: FixtureServer) {
  const without = await launchBrowser({ withExtension: false });
  const withExt = await launchBrowser({ withExtension: true });
  const noop = await launchBrowser({ withExtension: true, extensionDir: writeNoopExtension() });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the extension start
    await measure(without.browser, server.url(TABLE), 'load');
    await measure(without.browser, server.url(CHAT), 'chat');
    await measure(noop.browser, server.url(TABLE), 'load');
    const coldTable = await measure(withExt.browser, server.url(TABLE), 'load', 'trace');
    const coldChat = await measure(withExt.browser, server.url(CHAT), 'chat', 'trace');
    const results: [ModeResult, ModeResult] = [
      { table: [], chat: [] },
      { table: [], chat: [] },
    ];
    const noopTable: PageRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const mode of order) {
        if (mode === 2) {
          noopTable.push(await measure(noop.browser, server.url(TABLE), 'load'));
          continue;
        }
        const browser = (mode === 0 ? without : withExt).browser;
        results[mode]!.table.push(await measure(browser, server.url(TABLE), 'load'));
        results[mode]!.chat.push(await measure(browser, server.url(CHAT), 'chat'));
      }
    }
    // Heap: idle frames and the table, in the three browsers.
    const framesUrl = server.url('/plain.html');
    const heap = {
      frames: {
        without: await heapOf(without.browser, framesUrl, FRAMES),
        noop: await heapOf(noop.browser, framesUrl, FRAMES),
        with: await heapOf(withExt.browser, framesUrl, FRAMES),
      },
      table: {
        without: await heapOf(without.browser, server.url(TABLE), 0),
        noop: await heapOf(noop.browser, server.url(TABLE), 0),
        with: await heapOf(withExt.browser, server.url(TABLE), 0),
      },
    };
    // One extra traced run per page, warm, and one profiled run for the extension's script
    // time (profiler and tracer slow the page, so they stay out of the timed runs).
    const warmTable = await measure(withExt.browser, server.url(TABLE), 'load', 'trace');
    const warmChat = await measure(withExt.browser, server.url(CHAT), 'chat', 'trace');
    const tableProfiled = await measure(withExt.browser, server.url(TABLE), 'load', 'profile');
    const tableScript = tableProfiled.scriptMs;
    const chatScript = (await measure(withExt.browser, server.url(CHAT), 'chat', 'profile')).scriptMs;
    const pick = (runs: PageRun[]) => ({
      loadMs: median(runs.map((r) => r.loadMs)),
      longestTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
    });
    return {
      without: { table: pick(results[0].table), chat: pick(results[0].chat), copy: await copyMs(without.browser, server) },
      with: { table: pick(results[1].table), chat: pick(results[1].chat), copy: await copyMs(withExt.browser, server) },
      script: { table: tableScript, chat: chatScript },
      tableHotspots: tableProfiled.hotspots ?? [],
      noopTable: median(noopTable.map((r) => r.loadMs)),
      heap,
      extensionTasks: {
        table: [coldTable.tasks!, warmTable.tasks!] as const,
        chat: [coldChat.tasks!, warmChat.tasks!] as const,
      },
    };
  } finally {
    await without.close();
    await withExt.close();
    await noop.close();
    rmSync(NOOP_DIR, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const mb = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const server = await startFixtureServer();
  try {
    const run = await runBoth(server);
    const { without, with: withExt } = run;
    const extensionTask = (cold: ExtensionTasks, warm: ExtensionTasks) => ({
      cold: round(cold.longestShareMs),
      warm: round(warm.longestShareMs),
      coldTaskMs: round(cold.taskMs),
    });
    const table = extensionTask(...run.extensionTasks.table);
    const chat = extensionTask(...run.extensionTasks.chat);
    const result = {
      bench: 'page',
      runs: RUNS,
      table: {
        loadRatio: Number((withExt.table.loadMs / without.table.loadMs).toFixed(3)),
        loadMs: { without: round(without.table.loadMs), with: round(withExt.table.loadMs) },
        contentScriptMs: round(run.script.table),
        longestTaskMs: { without: round(without.table.longestTaskMs), with: round(withExt.table.longestTaskMs) },
        extensionLongestTaskMs: table,
      },
      chat: {
        loadRatio: Number((withExt.chat.loadMs / without.chat.loadMs).toFixed(3)),
        loadMs: { without: round(without.chat.loadMs), with: round(withExt.chat.loadMs) },
        contentScriptMs: round(run.script.chat),
        longestTaskMs: { without: round(without.chat.longestTaskMs), with: round(withExt.chat.longestTaskMs) },
        extensionLongestTaskMs: chat,
      },
      copy1MB: {
        copies: COPIES,
        decisionMs: round(Math.max(0, withExt.copy.medianMs - without.copy.medianMs)),
        firstDecisionMs: round(Math.max(0, withExt.copy.firstMs - without.copy.firstMs)),
        copyMs: { without: round(without.copy.medianMs), with: round(withExt.copy.medianMs) },
      },
      noop: {
        tableLoadMs: round(run.noopTable),
        withOverNoopRatio: Number((withExt.table.loadMs / run.noopTable).toFixed(3)),
        noopOverWithoutRatio: Number((run.noopTable / without.table.loadMs).toFixed(3)),
      },
      heap: {
        frames: {
          frames: run.heap.frames.with.frames,
          isolatedWorlds: run.heap.frames.with.isolatedWorlds,
          usedMB: {
            without: mb(run.heap.frames.without.usedMB),
            noop: mb(run.heap.frames.noop.usedMB),
            with: mb(run.heap.frames.with.usedMB),
          },
          perFrameMB: mb((run.heap.frames.with.usedMB - run.heap.frames.noop.usedMB) / run.heap.frames.with.frames),
          perFrameVsNoneMB: mb((run.heap.frames.with.usedMB - run.heap.frames.without.usedMB) / run.heap.frames.with.frames),
        },
        table: {
          usedMB: {
            without: mb(run.heap.table.without.usedMB),
            noop: mb(run.heap.table.noop.usedMB),
            with: mb(run.heap.table.with.usedMB),
          },
          extensionMB: mb(run.heap.table.with.usedMB - run.heap.table.noop.usedMB),
        },
      },
      tableHotspots: run.tableHotspots,
      goals: { loadRatio: 1.1, longestTaskMs: 50, copyDecisionMs: 20, idleFrameMB: 2, tableContentScriptMs: 150 },
    };
    const rows = [
      ['metric', 'without', 'with', 'goal'],
      ['table load (ms)', result.table.loadMs.without, result.table.loadMs.with, `ratio ${result.table.loadRatio} ≤ 1.10`],
      ['table content-script script time (ms)', '', result.table.contentScriptMs, ''],
      ['table longest task, any (ms)', result.table.longestTaskMs.without, result.table.longestTaskMs.with, '(page + extension)'],
      ['table extension part of a task (ms)', '', `${table.cold} / ${table.warm}`, '≤ 50 (cold / warm)'],
      ['chat 5000 msgs (ms)', result.chat.loadMs.without, result.chat.loadMs.with, `ratio ${result.chat.loadRatio} ≤ 1.10`],
      ['chat content-script script time (ms)', '', result.chat.contentScriptMs, ''],
      ['chat longest task, any (ms)', result.chat.longestTaskMs.without, result.chat.longestTaskMs.with, '(page + extension)'],
      ['chat extension part of a task (ms)', '', `${chat.cold} / ${chat.warm}`, '≤ 50 (cold / warm)'],
      [
        `copy 1 MB, median of ${COPIES} (ms)`,
        result.copy1MB.copyMs.without,
        result.copy1MB.copyMs.with,
        `decision ${result.copy1MB.decisionMs} ≤ 20`,
      ],
      ['copy 1 MB, first copy (ms)', '', result.copy1MB.firstDecisionMs, '(cold: reported, no goal)'],
      [
        'table load, no-op extension (ms)',
        result.noop.tableLoadMs,
        result.table.loadMs.with,
        `with / no-op ${result.noop.withOverNoopRatio}`,
      ],
      [
        'JS heap, 20 iframes (MB)',
        `${result.heap.frames.usedMB.without} / ${result.heap.frames.usedMB.noop}`,
        result.heap.frames.usedMB.with,
        '(none / no-op | with)',
      ],
      [
        'isolated world per frame (MB)',
        '',
        result.heap.frames.perFrameMB,
        `≤ 2 (${result.heap.frames.frames} frames, ${result.heap.frames.isolatedWorlds} isolated worlds)`,
      ],
      [
        'JS heap, table (MB)',
        `${result.heap.table.usedMB.without} / ${result.heap.table.usedMB.noop}`,
        result.heap.table.usedMB.with,
        `extension ${result.heap.table.extensionMB} MB`,
      ],
    ];
    for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(i === 0 ? 40 : 14)).join(''));
    console.log('table content script, self time by function (profiled load):');
    for (const h of result.tableHotspots) console.log(`  ${String(h.ms).padStart(7)} ms  ${h.fn}`);
    console.log(JSON.stringify(result));
  } finally {
    await server.close();
  }
}

await main();
