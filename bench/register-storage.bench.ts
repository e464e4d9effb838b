/**
 * What reading the stored customer register costs a frame (issue 15), in Chromium with
 * the built extension: `storage.local.get` of a 100,000-customer register item from an
 * extension page (a renderer like a content script's frame), its wall time and the
 * longest main-thread gap while it arrives, against a small key read in the same run.
 * Why frames other than the top one read the register only when they need it (start.ts).
 *
 * Env: BENCH_CUSTOMERS (default 100000), BENCH_RUNS (default 9).
 */
import { launchBrowser, extensionWorker } from '../tests/e2e/support/browser';
import { deriveRegisterKeys, storeKeys } from '../utils/register/keys';
import { buildRegisterPayload, type RegisterCustomerInput } from '../utils/register/structure';
import { median } from './lib/score';

const customerTotal = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 9));

async function main(): Promise<void> {
  const customers: RegisterCustomerInput[] = [];
  for (let i = 0; i < customerTotal; i++) {
    customers.push({
      level: '绝密',
      customerHash: '000000000000',
      numbers: [`13${String((i * 7919) % 1e9).padStart(9, '0')}`, `010${String(i).padStart(8, '0')}`],
      names: [`北京${i}科技有限公司`, `王${String.fromCharCode(0x4e00 + (i % 5000))}${String.fromCharCode(0x4e00 + (i % 777))}`],
    });
  }
  const keys = await deriveRegisterKeys('bench-hash-key-'.padEnd(43, 'x'), 'bench-salt');
  const payload = buildRegisterPayload(customers, keys, { version: 1, createdAt: new Date().toISOString(), salt: 'bench-salt' });
  const stored = { version: 1, etag: null, payload, keys: storeKeys(keys) };
  const itemBytes = JSON.stringify(stored).length;

  const launched = await launchBrowser();
  try {
    const { worker, extensionId } = await extensionWorker(launched.browser);
    await worker.evaluate(async (value) => {
      await (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({
        benchRegister: value,
        benchSmall: { version: 1 },
      });
    }, stored as never);
    const page = await launched.browser.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    // A string, not a function: the bundler's helpers (__name) do not exist in the page.
    const measured = (await page.evaluate(`(async () => {
      const get = (key) => chrome.storage.local.get(key);
      const big = [], small = [], gaps = [];
      for (let i = 0; i < ${runs}; i++) {
        let last = performance.now(), maxGap = 0, running = true;
        const tick = function () { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; if (running) setTimeout(tick, 0); };
        setTimeout(tick, 0);
        const t = performance.now();
        const value = await get('benchRegister');
        big.push(performance.now() - t);
        if (!value.benchRegister) throw new Error('register item missing');
        await new Promise((resolve) => setTimeout(resolve, 5));
        running = false;
        gaps.push(maxGap);
        const s = performance.now();
        await get('benchSmall');
        small.push(performance.now() - s);
      }
      return { big, small, gaps };
    })()`)) as { big: number[]; small: number[]; gaps: number[] };
    const row = (name: string, values: number[]) =>
      console.log(`| ${name} | ${median(values).toFixed(1)} | ${Math.min(...values).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`);
    console.log(`register item: ${customerTotal} customers, ${(itemBytes / 1024 / 1024).toFixed(2)} MB of JSON; ${runs} reads`);
    console.log('');
    console.log('| read | median ms | min ms | max ms |');
    console.log('|---|---:|---:|---:|');
    row('storage.local.get(register) wall time', measured.big);
    row('longest main-thread gap during it', measured.gaps);
    row('storage.local.get(small key) wall time (reference)', measured.small);
    console.log(
      JSON.stringify({
        bench: 'register-storage',
        customers: customerTotal,
        itemBytes,
        readMs: Number(median(measured.big).toFixed(1)),
        mainThreadGapMs: Number(median(measured.gaps).toFixed(1)),
        smallReadMs: Number(median(measured.small).toFixed(2)),
      }),
    );
  } finally {
    await launched.close();
  }
}

void main();
