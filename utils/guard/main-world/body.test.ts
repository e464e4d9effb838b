import { describe, expect, it } from 'vitest';
import { bodyText, readRequestText, snapshotBody, syncBodyText } from './body';
import { captureIntrinsics } from './intrinsics';
import { MAX_OUTGOING_TEXT } from '../outgoing/outgoing-text';

// Node has the fetch/streams/FormData globals; the DOM-only ones are stubbed.
const win = Object.assign(Object.create(globalThis), {
  Node: class {},
  Document: class {},
  HTMLFormElement: class {
    submit() {}
  },
  ProgressEvent: class {},
  DOMParser: class {},
  document: {},
  location: { href: 'https://crm.example.com/' },
}) as Window & typeof globalThis;
const intr = captureIntrinsics(win);

describe('snapshotBody: what is scanned is what is sent', () => {
  it('copies FormData, URLSearchParams and buffers', () => {
    const fd = new FormData();
    fd.set('a', 'clean');
    const usp = new URLSearchParams('a=clean');
    const buf = new TextEncoder().encode('clean');
    const snaps = [snapshotBody(fd, intr), snapshotBody(usp, intr), snapshotBody(buf, intr)];
    fd.set('a', '13812345678');
    usp.set('a', '13812345678');
    buf.set(new TextEncoder().encode('13812'));
    expect(snaps.map((s) => syncBodyText(s, intr))).toEqual(['a=clean', 'a=clean\na=clean', 'clean']);
  });

  it('converts other objects to a string once', () => {
    let calls = 0;
    const sneaky = { toString: () => (calls++ === 0 ? 'clean' : '13812345678') };
    const snap = snapshotBody(sneaky, intr);
    expect([snap, calls]).toEqual(['clean', 1]);
  });

  it('keeps null/undefined as no body', () => {
    expect([snapshotBody(null, intr), snapshotBody(undefined, intr)]).toEqual([null, null]);
  });
});

describe('body text', () => {
  it('needs an async read for Blobs and files', async () => {
    const blob = new Blob(['tel 13812345678']);
    expect(syncBodyText(blob, intr)).toBeNull();
    expect(await bodyText(blob, intr)).toBe('tel 13812345678');
    const fd = new FormData();
    fd.set('f', new File(['密级：机密'], 'a.txt'));
    expect(await bodyText(fd, intr)).toContain('密级：机密');
  });

  it('reads a Request body without consuming it, decoding form encoding', async () => {
    const request = new Request('https://x.test/', {
      method: 'POST',
      body: 'm=%E7%BB%9D%E5%AF%86',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await readRequestText(request, intr)).toContain('m=绝密');
    expect(await request.text()).toBe('m=%E7%BB%9D%E5%AF%86');
  });

  it('a GET request has no body text', async () => {
    expect(await readRequestText(new Request('https://x.test/?a=1'), intr)).toBe('');
  });
});

describe('without Request.prototype.body (Firefox)', () => {
  // What captureIntrinsics finds in Firefox: Request.prototype has no 'body' getter.
  const ff = { ...intr, requestBody: undefined };

  it('has no body getter to use', () => {
    expect(ff.requestBody).toBeUndefined();
  });

  it.each([
    ['a string', 'tel 13812345678'],
    ['a Blob', new Blob(['tel 13812345678'])],
    ['a buffer', new TextEncoder().encode('tel 13812345678')],
  ])('reads %s body without consuming it', async (_name, body) => {
    const request = new ff.Request('https://x.test/', { method: 'POST', body });
    expect(await readRequestText(request, ff)).toBe('tel 13812345678');
    expect(await request.text()).toBe('tel 13812345678');
  });

  it('decodes form encoding by the request content type; a GET has no body text', async () => {
    const request = new ff.Request('https://x.test/', {
      method: 'POST',
      body: 'm=%E7%BB%9D%E5%AF%86',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await readRequestText(request, ff)).toContain('m=绝密');
    expect(await readRequestText(new ff.Request('https://x.test/?a=1'), ff)).toBe('');
  });

  it('reads Blobs and multipart files of beacons and XHR', async () => {
    expect(await bodyText(new Blob(['tel 13812345678']), ff)).toBe('tel 13812345678');
    const fd = new FormData();
    fd.set('f', new File(['密级：机密'], 'a.txt'));
    expect(await bodyText(fd, ff)).toContain('密级：机密');
  });

  it('reads at most MAX_OUTGOING_TEXT bytes of a large Blob', async () => {
    const big = new Blob(['x'.repeat(MAX_OUTGOING_TEXT), '13812345678']);
    const text = await bodyText(big, ff);
    expect(text.length).toBe(MAX_OUTGOING_TEXT);
    expect(text).not.toContain('1381');
  });
});
