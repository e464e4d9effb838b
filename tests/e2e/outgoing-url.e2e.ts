/**
 * Requests whose URL carries the number, and requests of a page's workers, which the
 * fetch/XHR hooks never see. Page hooks give a notice where they can (img/iframe src,
 * new WebSocket(url), navigations through the isolated world's navigate listener); the
 * request layer (utils/background/request-guard.ts) is the net: a declarativeNetRequest
 * rule in this unpacked Chromium build, blocking webRequest in Firefox. Each vector
 * checks what the sink received; the controls carry ordinary ids and timestamps.
 */
import type { Page } from 'puppeteer-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { extensionContext, IS_FIREFOX } from './support/browser';
import { queuedEvents, waitForEvent } from './support/event-queue';
import type { OutgoingServer } from './support/outgoing-fixtures';
import { openTestPage, PHONE, sendFromPage, settle, useOutgoingGuards } from './support/outgoing-page';

/** Ordinary query values: a numeric id, a ms timestamp, a snowflake order id, a date. */
const ORDINARY = 'id=1024&ts=1733299200123&order=1864020341012345678&d=2024-12-04';

describe(`URL-borne requests and workers (${IS_FIREFOX ? 'Firefox' : 'Chromium'})`, () => {
  const guards = useOutgoingGuards();
  let server: OutgoingServer;
  let page: Page;
  let n = 0;
  let path = '';

  beforeEach(async () => {
    ({ server } = guards);
    path = `/url${++n}`;
    page = await openTestPage(guards);
  });

  const send = (code: string, arg: string) => sendFromPage(page, `${server.sinkOrigin}${path}`, code, arg);
  const noticeFor = (channel: string) => page.waitForSelector(`baomi-notice[data-baomi-notice="${channel}"]`, { timeout: 5_000 });

  it('new Image().src with the number in the query never loads; a notice shows', async () => {
    await send(`new Image().src = SINK_PATH + '/px.gif?tel=' + TEXT;`, PHONE);
    await noticeFor('request');
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('CONTROL: new Image().src with ids and timestamps loads', async () => {
    await send(`new Image().src = SINK_PATH + '/px.gif?' + TEXT;`, ORDINARY);
    expect((await server.waitForHit(path)).path).toContain('ts=1733299200123');
  });

  it('location.href = url with the number is cancelled: the page stays, a notice shows', async () => {
    const before = page.url();
    await send(`location.href = SINK_PATH + '/next?mobile=' + TEXT;`, PHONE);
    await noticeFor('request');
    await settle();
    expect(page.url()).toBe(before);
    expect(server.hits(path)).toEqual([]);
  });

  it('CONTROL: location.href to an ordinary URL navigates', async () => {
    await Promise.all([page.waitForNavigation(), send(`location.href = SINK_PATH + '/next?' + TEXT;`, ORDINARY)]);
    expect(page.url()).toContain(`${path}/next?`);
    await server.waitForHit(path);
  });

  it("an iframe's src with the number in the path never loads", async () => {
    await send(
      `const f = document.createElement('iframe'); f.src = SINK_PATH + '/customer/' + TEXT + '/card'; document.body.append(f);`,
      PHONE,
    );
    await noticeFor('request');
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('new WebSocket(url) with the number in the query throws SecurityError; a notice shows', async () => {
    const ws = `${server.sinkOrigin.replace('http:', 'ws:')}${path}`;
    const result = await page.evaluate(
      (url, phone) => {
        const attempt = (ctor: typeof WebSocket) => {
          try {
            new ctor(`${url}?tel=${phone}`);
            return 'opened';
          } catch (error) {
            return (error as Error).name;
          }
        };
        // Also through socket.constructor, and the constructor still looks native.
        return [
          attempt(WebSocket),
          attempt(WebSocket.prototype.constructor as typeof WebSocket),
          Function.prototype.toString.call(WebSocket).includes('WebSocket'),
        ];
      },
      ws,
      PHONE,
    );
    expect(result).toEqual(['SecurityError', 'SecurityError', true]);
    await noticeFor('request');
  });

  it('markup the parser loads (innerHTML <img>) is stopped by the request layer', async () => {
    await send(`document.body.insertAdjacentHTML('beforeend', '<img src="' + SINK_PATH + '/parsed.gif?phone=' + TEXT + '">');`, PHONE);
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it.each(['dedicated', 'shared'] as const)(
    "a %s worker's fetch with the number in the URL never reaches the server; a clean one does",
    async (kind) => {
      const run = (query: string) =>
        page.evaluate(
          (url: string, shared: boolean) =>
            new Promise((resolve) => {
              const request = `fetch(${JSON.stringify(url)}).then(() => 'sent', (e) => e.name)`;
              const code = shared
                ? `onconnect = (ev) => { const port = ev.ports[0]; ${request}.then((r) => port.postMessage(r)); };`
                : `${request}.then((r) => postMessage(r));`;
              const src = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
              if (shared) {
                const worker = new SharedWorker(src);
                worker.port.onmessage = (e) => resolve(e.data);
              } else {
                new Worker(src).onmessage = (e) => resolve(e.data);
              }
            }),
          `${server.sinkOrigin}${path}/w?${query}`,
          kind === 'shared',
        );
      expect(await run(`tel=${PHONE}`)).toBe('TypeError');
      expect(await run(ORDINARY)).toBe('sent');
      expect(server.hits(path).map((hit) => hit.path)).toEqual([`${path}/w?${ORDINARY}`]);
    },
  );

  // Chromium (unpacked): declarativeNetRequest sees URLs only, never bodies; see the report.
  it.skipIf(!IS_FIREFOX)("a worker's POST body with the number is stopped by webRequest (Firefox)", async () => {
    const result = await page.evaluate(
      (sink, phone) =>
        new Promise((resolve) => {
          const code = `fetch(${JSON.stringify(sink)}, { method: 'POST', body: '客户 ${phone}' }).then(() => postMessage('sent'), (e) => postMessage(e.name));`;
          const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
          w.onmessage = (e) => resolve(e.data);
        }),
      `${server.sinkOrigin}${path}/body`,
      PHONE,
    );
    expect(result).toBe('TypeError');
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  // Skipped in Firefox: FIREFOX_NO_EXTENSION_CONTEXT (support/browser.ts) — the queue cannot be read there.
  it.skipIf(IS_FIREFOX)("the request layer's block leaves an event (masked, no raw number)", async () => {
    const extension = await extensionContext(guards.launched.browser);
    // Earlier tests left events just like it: only a new one counts.
    const earlier = new Set((await queuedEvents(extension)).map((e) => e.id));
    await send(`document.body.insertAdjacentHTML('beforeend', '<img src="' + SINK_PATH + '/evt.gif?phone=' + TEXT + '">');`, PHONE);
    const event = await waitForEvent(
      extension,
      (e) =>
        !earlier.has(e.id) &&
        e.channel === 'request' &&
        e.destination === server.sinkOrigin &&
        e.findings.some((f) => f.masked === '138****5678'),
    );
    expect(event.action).toMatch(/^block/);
    expect(JSON.stringify(event)).not.toContain(PHONE);
    expect(server.hits(path)).toEqual([]);
  });
});
