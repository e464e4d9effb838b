/**
 * Bodies encoded before they are sent (utils/guard/outgoing/encoded-text.ts), as analytics
 * libraries do: the number is inside base64 of JSON, or percent/`\u` escaped. Each vector
 * checks what the sink received; the controls send ordinary encoded data (an image
 * upload as base64, an analytics event without customer data) and must arrive.
 */
import type { Page } from 'puppeteer-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { IS_FIREFOX } from './support/browser';
import type { OutgoingServer } from './support/outgoing-fixtures';
import { openTestPage, PHONE, sendFromPage, settle, useOutgoingGuards } from './support/outgoing-page';

/** Page-side helper: base64 of the UTF-8 of `text`, the way analytics SDKs encode events. */
const B64 = `const b64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));`;

describe(`encoded bodies (${IS_FIREFOX ? 'Firefox' : 'Chromium'})`, () => {
  const guards = useOutgoingGuards();
  let server: OutgoingServer;
  let page: Page;
  let n = 0;
  let path = '';

  beforeEach(async () => {
    ({ server } = guards);
    path = `/enc${++n}`;
    page = await openTestPage(guards);
  });

  const send = (code: string, arg: string) => sendFromPage(page, `${server.sinkOrigin}${path}`, code, arg);
  const event = (phone: string) => JSON.stringify({ event: 'signup', distinct_id: 'u-1024', properties: { $os: 'Linux', mobile: phone } });

  it('an analytics beacon with data=<base64 of JSON> holding the number never arrives', async () => {
    expect(
      await send(`${B64} return navigator.sendBeacon(SINK_PATH, 'data=' + encodeURIComponent(b64(TEXT)) + '&gzip=0');`, event(PHONE)),
    ).toBe(true);
    await settle();
    expect(server.hits(path)).toEqual([]);
    await page.waitForSelector('baomi-notice[data-baomi-notice="request"]', { timeout: 5_000 });
  });

  it('a fetch whose JSON body holds the event as base64 is blocked', async () => {
    const result = await send(
      `${B64} return fetch(SINK_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch: [b64(TEXT)] }) }).then(() => 'sent', (e) => e.name);`,
      event(PHONE),
    );
    expect(result).toBe('TypeError');
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('an XHR with \\u-escaped digits and a percent-encoded number in a text body is blocked', async () => {
    const result = await send(
      `return new Promise((resolve) => {
         const x = new XMLHttpRequest();
         x.onloadend = () => resolve(x.status);
         x.open('POST', SINK_PATH);
         const escaped = [...TEXT].map((c) => '\\\\u00' + c.charCodeAt(0).toString(16)).join('');
         const percent = [...TEXT].map((c) => '%' + c.charCodeAt(0).toString(16)).join('');
         x.send('{"a": "' + escaped + '", broken json');
         const y = new XMLHttpRequest(); y.open('POST', SINK_PATH + '/p'); y.send('note ' + percent + ' end');
       });`,
      PHONE,
    );
    expect(result).toBe(0);
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('CONTROL: an analytics beacon without customer data arrives, still base64', async () => {
    expect(
      await send(`${B64} return navigator.sendBeacon(SINK_PATH, 'data=' + encodeURIComponent(b64(TEXT)));`, event('138****5678')),
    ).toBe(true);
    const hit = await server.waitForHit(path);
    expect(decodeURIComponent(hit.body.slice('data='.length))).toBe(Buffer.from(event('138****5678')).toString('base64'));
  });

  it('CONTROL: an ordinary base64 image upload (JSON with a data: URL) arrives', async () => {
    const result = await send(
      `// A 16 KB PNG-like payload: signature + pseudo-random (compressed-looking) bytes.
       const bytes = new Uint8Array(16384);
       let x = 12345;
       for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
       bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
       let bin = '';
       for (const b of bytes) bin += String.fromCharCode(b);
       const body = JSON.stringify({ name: TEXT, image: 'data:image/png;base64,' + btoa(bin) });
       return fetch(SINK_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(() => 'sent', (e) => e.name);`,
      'avatar.png',
    );
    expect(result).toBe('sent');
    expect((await server.waitForHit(path)).body).toContain('data:image/png;base64,iVBORw0KGgo');
  });
});
