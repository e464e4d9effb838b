// @vitest-environment happy-dom
/**
 * createPageScanner on a complete or loading document: what is counted, how the work is
 * sliced (manual task queue + fake clock), and the control surface (rescan, stop, idle,
 * onDocumentScanned). Mutations and shadow roots: page-scanner-mutations.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanText, type Finding } from '../detect';
import type { PageScannerOptions } from './page-scanner';
import { setupScanner as setup } from './page-scanner-harness';

const PAGE =
  '<p>密级：秘密</p><p>客户 <span>138</span><span>1234</span><b>5678</b></p><p>【机密】</p>' +
  '<p>已脱敏 138****5678</p><script>var a = "13912345678"</script><style>/* 13712345678 */</style>';

describe('initial scan of a complete document', () => {
  it('counts a number split across spans once, takes the highest marker level, ignores masked numbers and scripts', async () => {
    document.body.innerHTML = PAGE;
    const s = setup();
    s.scanner.start();
    await s.drain();
    expect(s.summary()).toMatchObject({ level: '机密', countsByType: { mobile: 1, marker: 2 }, total: 3 });
    expect(s.summary().findings.map((f) => f.masked)).toEqual(['秘密', '138****5678', '机密']);
    expect(s.changes.length).toBeGreaterThan(0);
    expect(s.changes.at(-1)).toEqual(s.summary());
  });

  it('a lower marker found after a higher one does not lower the level', async () => {
    document.body.innerHTML = '<p>【绝密】</p>' + '<p>x</p>'.repeat(50) + '<p>密级：秘密</p>';
    const s = setup({ chunkChars: 16 });
    s.scanner.start();
    await s.drain();
    expect(s.summary()).toMatchObject({ level: '绝密', countsByType: { marker: 2 } });
  });

  it('a page without findings: summary stays empty and onChange is not called', async () => {
    document.body.innerHTML = '<p>你好，世界 12345</p>';
    const s = setup();
    s.scanner.start();
    await s.drain();
    expect(s.summary()).toEqual({ level: null, namedLevel: null, markerLevel: null, countsByType: {}, findings: [], total: 0 });
    expect(s.changes).toEqual([]);
    expect(s.t.scans).toBeGreaterThan(0);
  });

  // Context before a number (手机 raises, No. lowers the confidence; a digit before it makes a longer number) must reach the detector.
  const LINES = ['手机：13812345678 和 139 1234 5678，No.15012345678；编号 2013912345678', '密级：机密', '【秘密】'];
  const key = (f: Finding) => `${f.type} ${f.normalized} ${f.confidence}`;
  it.each([1, 2, 3, 5, 7, 8, 11, 13, 16, 64])(
    'chunkChars %i: findings across chunk boundaries count once, as in one scan',
    async (chunkChars) => {
      const whole = scanText(LINES.join('\n'));
      expect(whole.map(key)).toEqual([
        'mobile 13812345678 0.95',
        'mobile 13912345678 0.8',
        'mobile 15012345678 0.45',
        'marker 机密 0.95',
        'marker 秘密 0.9',
      ]);
      document.body.innerHTML = LINES.map((line) => `<p>${line}</p>`).join('');
      const s = setup({ chunkChars });
      s.scanner.start();
      await s.drain();
      expect(s.summary()).toMatchObject({ level: '机密', countsByType: { mobile: 3, marker: 2 }, total: 5 });
      expect(s.summary().findings.map(key)).toEqual(whole.map(key));
    },
  );
});

describe('time slicing', () => {
  it('scanning many chunks takes several tasks, each within the slice, and finishes', async () => {
    document.body.innerHTML = Array.from({ length: 300 }, (_, i) => `<p>客户${i} 13812345678</p>`).join('');
    const s = setup({ chunkChars: 64 });
    let last = 0;
    const perTask: number[] = [];
    s.scanner.start();
    while (await s.runOne()) {
      perTask.push(s.t.clock - last);
      last = s.t.clock;
    }
    expect(s.summary().countsByType).toEqual({ mobile: 300 });
    expect(s.t.tasksRun).toBeGreaterThan(1);
    expect(Math.max(...perTask)).toBeLessThanOrEqual(4 + 1); // sliceMs (+ one chunk started just before the deadline)
  });

  it('walking a large DOM is sliced too (the clock advances per now() call)', async () => {
    document.body.innerHTML = '<div>' + '<span>a</span>'.repeat(3000) + '<b>客户 13812345678</b></div>';
    const s = setup({}, 1);
    s.scanner.start();
    await s.drain();
    expect(s.t.tasksRun).toBeGreaterThan(1);
    expect(s.summary().total).toBe(1);
  });
});

describe('options', () => {
  it('skip: skipped elements are not entered; skip gets the element and its tag name', async () => {
    document.body.innerHTML = '<div class="notice"><p>密级：绝密 13812345678</p></div><p>13912345678</p>';
    const skip = vi.fn((element: Element) => element.classList.contains('notice'));
    const s = setup({ skip });
    s.scanner.start();
    await s.drain();
    expect(s.summary()).toMatchObject({ level: null, countsByType: { mobile: 1 }, total: 1 });
    expect(skip).toHaveBeenCalledWith(document.querySelector('.notice'), 'DIV');
  });

  it('keepFindings caps the findings list, not the counts', async () => {
    document.body.innerHTML = ['138', '139', '137', '136', '150'].map((p) => `<p>${p}12345678</p>`).join('');
    const s = setup({ keepFindings: 3 });
    s.scanner.start();
    await s.drain();
    expect(s.summary().total).toBe(5);
    expect(s.summary().countsByType).toEqual({ mobile: 5 });
    expect(s.summary().findings.map((f) => f.normalized)).toEqual(['13812345678', '13912345678', '13712345678']);
  });
});

describe('rescan, stop, idle, onDocumentScanned', () => {
  it('rescan(): reports an empty summary at once, then the same totals again', async () => {
    document.body.innerHTML = PAGE;
    const s = setup();
    s.scanner.start();
    await s.drain();
    const before = structuredClone(s.summary());
    s.scanner.rescan();
    expect(s.changes.at(-1)).toEqual({ level: null, namedLevel: null, markerLevel: null, countsByType: {}, findings: [], total: 0 });
    expect(s.summary().total).toBe(0);
    await s.drain();
    expect(s.summary()).toEqual(before);
  });

  it('rescan() in the middle of the first walk neither loses nor double counts; onDocumentScanned still once', async () => {
    document.body.innerHTML = Array.from({ length: 40 }, () => '<p>客户 13812345678</p>').join('');
    const onDocumentScanned = vi.fn();
    const s = setup({ chunkChars: 32, onDocumentScanned });
    s.scanner.start();
    for (let i = 0; i < 2; i++) await s.runOne();
    expect(s.tasks.length).toBeGreaterThan(0); // still working
    s.scanner.rescan();
    await s.drain();
    expect(s.summary().countsByType).toEqual({ mobile: 40 });
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);
  });

  it('stop(): pending tasks do nothing, no onChange, later mutations ignored', async () => {
    document.body.innerHTML = Array.from({ length: 40 }, () => '<p>客户 13812345678</p>').join('');
    const s = setup({ chunkChars: 32 });
    s.scanner.start();
    await s.runOne();
    const [scans, total, changes] = [s.t.scans, s.summary().total, s.changes.length];
    expect(total).toBeLessThan(40);
    s.scanner.stop();
    await s.drain();
    document.body.insertAdjacentHTML('beforeend', '<p>13912345678</p>');
    await s.drain();
    expect(s.t.scans).toBe(scans);
    expect(s.summary().total).toBe(total);
    expect(s.changes.length).toBe(changes);
  });

  it('idle() resolves at once when nothing is pending, otherwise only after the last task', async () => {
    document.body.innerHTML = Array.from({ length: 40 }, () => '<p>客户 13812345678</p>').join('');
    const s = setup({ chunkChars: 32 });
    let resolved = false;
    await s.scanner.idle(); // not started: nothing pending
    s.scanner.start();
    void s.scanner.idle().then(() => (resolved = true));
    for (let i = 0; i < 2; i++) await s.runOne();
    expect(resolved).toBe(false);
    await s.drain();
    expect(resolved).toBe(true);
    expect(s.summary().total).toBe(40);
    await s.scanner.idle();
  });

  it('onDocumentScanned: exactly once, after the first walk; not for mutations or rescan', async () => {
    document.body.innerHTML = '<p>' + '<span>x</span>'.repeat(500) + '</p>';
    const onDocumentScanned = vi.fn();
    const s = setup({ onDocumentScanned }, 1);
    s.scanner.start();
    await s.runOne();
    expect(onDocumentScanned).not.toHaveBeenCalled();
    await s.drain();
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);
    document.body.insertAdjacentHTML('beforeend', '<p>13812345678</p>');
    await s.drain();
    s.scanner.rescan();
    await s.drain();
    expect(s.summary().total).toBe(1);
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);
  });
});

describe('while the document is loading', () => {
  let readyState: DocumentReadyState = 'loading';
  afterEach(() => {
    delete (document as { readyState?: unknown }).readyState;
    vi.useRealTimers();
  });
  function loadingSetup(options: Partial<PageScannerOptions> = {}) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    readyState = 'loading';
    Object.defineProperty(document, 'readyState', { configurable: true, get: () => readyState });
    return setup(options);
  }
  const add = (html: string) => document.body.insertAdjacentHTML('beforeend', html);

  it('re-walks every 200 ms until DOMContentLoaded: text present, added, and added before the event each count once', async () => {
    document.body.innerHTML = '<p>客户 13812345678</p><input value="13612345678">';
    const onDocumentScanned = vi.fn();
    const s = loadingSetup({ onDocumentScanned });
    s.scanner.start();
    await s.drain();
    expect(s.summary().countsByType).toEqual({ mobile: 2 });

    add('<p>13912345678</p>'); // not observed while loading
    await s.drain();
    expect(s.summary().total).toBe(2);
    vi.advanceTimersByTime(200);
    await s.drain();
    expect(s.summary().total).toBe(3); // the re-walk found it; old text and the unchanged value not recounted

    document.querySelector('input')!.value = '15012345678';
    vi.advanceTimersByTime(200);
    await s.drain();
    expect(s.summary().total).toBe(4); // a changed value is scanned again

    add('<p>13712345678</p>');
    readyState = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await s.drain();
    expect(s.summary().countsByType).toEqual({ mobile: 5 });
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);

    add('<p>客户 18612345678</p>'); // observed from now on
    await s.drain();
    vi.advanceTimersByTime(1000);
    expect(s.tasks).toEqual([]); // no more re-walks
    expect(s.summary().countsByType).toEqual({ mobile: 6 });
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);
  });

  it("a leaf on the parser's last path is entered, not read whole: text the parser appends to it counts", async () => {
    // The parser appends only along the last path; elements before it are finished and are
    // read whole (one textContent call), the last <p> is still being filled.
    document.body.innerHTML = '<p>客户 13812345678</p><p id="open">客户 </p>';
    const s = loadingSetup();
    s.scanner.start();
    await s.drain();
    expect(s.summary().total).toBe(1);
    document.getElementById('open')!.append('13912345678'); // the parser's next text node
    add('<p>13712345678</p>');
    vi.advanceTimersByTime(200);
    await s.drain();
    expect(s.summary().total).toBe(3);
    readyState = 'interactive';
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await s.drain();
    expect(s.summary().countsByType).toEqual({ mobile: 3 }); // the last walk reads nothing twice
  });

  it('a re-walk that finds the document no longer loading (event missed) switches to observing', async () => {
    document.body.innerHTML = '<p>客户 13812345678</p>';
    const onDocumentScanned = vi.fn();
    const s = loadingSetup({ onDocumentScanned });
    s.scanner.start();
    await s.drain();
    add('<p>13912345678</p>');
    readyState = 'complete'; // no DOMContentLoaded dispatched
    vi.advanceTimersByTime(200);
    await s.drain();
    expect(onDocumentScanned).toHaveBeenCalledTimes(1);
    add('<p>13712345678</p>');
    await s.drain();
    expect(s.summary().countsByType).toEqual({ mobile: 3 });
  });

  it('stop() while loading: no re-walk, no work after DOMContentLoaded', async () => {
    document.body.innerHTML = '<p>客户 13812345678</p>';
    const s = loadingSetup();
    s.scanner.start();
    await s.drain();
    const { tasksRun } = s.t;
    s.scanner.stop();
    add('<p>13912345678</p>');
    vi.advanceTimersByTime(1000);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await s.drain();
    expect(s.t.tasksRun).toBe(tasksRun);
    expect(s.summary().total).toBe(1);
  });
});
