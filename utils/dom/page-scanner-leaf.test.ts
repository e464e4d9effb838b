// @vitest-environment happy-dom
/**
 * The page scanner reads content added after the document walk leaf by leaf (one
 * textContent call per element without element children, TextMapOptions.leafText):
 * each number still counts once, however the page builds or moves that content.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mobiles, scanned, setupScanner } from './page-scanner-harness';

/** Counts textContent reads of one element (the leaf path) without changing what they return. */
function countTextContentReads(element: Element): { reads: number } {
  const counter = { reads: 0 };
  let proto = Object.getPrototypeOf(element);
  while (!Object.getOwnPropertyDescriptor(proto, 'textContent')) proto = Object.getPrototypeOf(proto);
  const getter = Object.getOwnPropertyDescriptor(proto, 'textContent')!.get!;
  Object.defineProperty(element, 'textContent', {
    configurable: true,
    get() {
      counter.reads++;
      return getter.call(this);
    },
  });
  return counter;
}

describe('leaf reads of content added after the document walk', () => {
  it('are used for added content and for finished leaves in the document walk, each read once', async () => {
    document.body.innerHTML = '<p id="first">客户 13812345678</p>';
    const first = countTextContentReads(document.getElementById('first')!);
    const s = setupScanner();
    s.scanner.start();
    await s.drain();
    expect(first.reads).toBe(1); // the document walk read the finished cell whole (closedLeaves)
    const added = document.createElement('p');
    added.textContent = '客户 13912345678';
    const reads = countTextContentReads(added);
    document.body.append(added);
    await s.drain();
    expect(reads.reads).toBe(1);
    expect(first.reads).toBe(1);
    expect(mobiles(s)).toBe(2);
  });

  it('an element appended empty and filled afterwards counts once', async () => {
    const s = await scanned('<div id="log"></div>');
    for (let i = 0; i < 5; i++) {
      const message = document.createElement('div');
      document.getElementById('log')!.append(message);
      message.textContent = `客户 1381234567${i}`; // a record for the element, then one for its text
      message.append(document.createElement('span'));
      message.lastElementChild!.textContent = ' 回电';
    }
    await s.drain();
    expect(mobiles(s)).toBe(5);
  });

  it('text appended to a leaf after it was read counts; the leaf is not read again', async () => {
    const s = await scanned('<div id="log"></div>');
    document.getElementById('log')!.insertAdjacentHTML('beforeend', '<p>客户 13812345678</p>');
    await s.drain();
    document.querySelector('#log p')!.append(' 或 13912345678');
    await s.drain();
    expect(mobiles(s)).toBe(2);
  });

  it('changed text inside a leaf counts again (as any changed text does)', async () => {
    const s = await scanned('<div id="log"></div>');
    document.getElementById('log')!.insertAdjacentHTML('beforeend', '<p>等待</p>');
    await s.drain();
    (document.querySelector('#log p')!.firstChild as Text).data = '客户 13812345678';
    await s.drain();
    expect(mobiles(s)).toBe(1);
  });

  it('moving content read leaf by leaf does not count it again', async () => {
    const s = await scanned('<div id="a"></div><div id="b"></div>');
    document.getElementById('a')!.insertAdjacentHTML('beforeend', '<ul><li>客户 13812345678</li><li>13912345678</li></ul>');
    await s.drain();
    expect(mobiles(s)).toBe(2);
    const list = document.querySelector('ul')!;
    list.append(list.firstElementChild!); // a sort
    document.getElementById('b')!.append(list);
    await s.drain();
    expect(mobiles(s)).toBe(2);
  });

  it('a text node queued before its parent is read whole is not counted twice', async () => {
    const s = await scanned('<div id="log"></div>');
    const message = document.createElement('p');
    message.append('客户 ');
    document.getElementById('log')!.append(message);
    message.append('13812345678'); // queued on its own, then read again with its parent
    await s.drain();
    expect(mobiles(s)).toBe(1);
  });

  // Siblings inserted by one call (one mutation record) are read as one text: happy-dom
  // makes a record per node, so that is proven in Chromium (guard-clipboard.e2e.ts, late.html).

  it('content inserted by separate calls is read apart (known limit: no number across two insertions)', async () => {
    const s = await scanned('<p id="list"></p>');
    for (const digits of ['138', '12345678'])
      document.getElementById('list')!.append(Object.assign(document.createElement('b'), { textContent: digits }));
    await s.drain();
    expect(mobiles(s)).toBe(0);
  });

  describe('while the page adds content in a burst (mutation-burst.ts)', () => {
    afterEach(() => void vi.useRealTimers());

    it('added content waits until the page pauses, then counts once; never longer than maxHoldMs', async () => {
      vi.useFakeTimers();
      const s = await scanned('<div id="log"></div>', { quietMs: 100, maxHoldMs: 1000, now: () => Date.now() });
      const log = document.getElementById('log')!;
      const add = (i: number) => log.insertAdjacentHTML('beforeend', `<p>客户 1381234${String(i).padStart(4, '0')}</p>`);
      add(0);
      await s.drain();
      expect(mobiles(s)).toBe(0); // held back
      vi.advanceTimersByTime(100);
      await s.drain();
      expect(mobiles(s)).toBe(1);
      for (let i = 1; i <= 30; i++) {
        add(i); // a page that keeps adding every 50 ms
        await s.drain();
        vi.advanceTimersByTime(50);
      }
      await s.drain();
      expect(mobiles(s)).toBeGreaterThan(1); // scanned after at most maxHoldMs
      vi.advanceTimersByTime(100);
      await s.drain();
      expect(mobiles(s)).toBe(31);
    });
  });
});
