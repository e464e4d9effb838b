/**
 * A plain-http intranet host, as most company CRMs and OA systems are: not a secure
 * context. 127.0.0.1 and localhost are secure contexts by definition, so the other suites
 * never saw this; here `crm.intranet.test` is mapped to loopback by Chromium's resolver
 * and the page is loaded over http://crm.intranet.test:PORT/.
 *
 * There `crypto.randomUUID` does not exist; the bridge used it, never formed, and every
 * request waited out the connect timeout and was blocked with no notice and no event.
 */
import type { Page } from 'puppeteer-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../utils/policy/default-policy';
import { ACTIVE_POLICY_FORMAT } from '../../utils/policy/stored';
import { extensionContext, IS_FIREFOX, type LaunchedBrowser } from './support/browser';
import { queuedEvents, waitForEvent } from './support/event-queue';
import type { OutgoingServer } from './support/outgoing-fixtures';
import { FETCH, openTestPage, PHONE, sendFromPage, settle, useOutgoingGuards } from './support/outgoing-page';

const HOST = 'crm.intranet.test';
const intranetOrigin = (server: OutgoingServer) => server.pageOrigin.replace('127.0.0.1', HOST);

describe('plain-http intranet host (not a secure context)', () => {
  // No clipboard permissions: Chromium grants them to secure contexts only.
  const guards = useOutgoingGuards({ extraArgs: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`], localDomains: [HOST] }, () => []);
  let launched: LaunchedBrowser;
  let server: OutgoingServer;
  let page: Page;
  let n = 0;
  let path = '';

  beforeEach(async () => {
    ({ launched, server } = guards);
    path = `/intranet${++n}`;
    page = await openTestPage(guards, intranetOrigin(server));
  });

  const send = (code: string, arg: string) => sendFromPage(page, `${server.sinkOrigin}${path}`, code, arg);
  const notice = () => page.evaluate(() => document.querySelector('baomi-notice')?.getAttribute('data-baomi-notice') ?? null);

  it('the page really is an insecure context without crypto.randomUUID', async () => {
    expect(new URL(page.url()).host).toBe(new URL(intranetOrigin(server)).host);
    expect(await page.evaluate(() => [isSecureContext, typeof crypto.randomUUID, typeof crypto.getRandomValues])).toEqual([
      false,
      'undefined',
      'function',
    ]);
  });

  it('a fetch carrying a phone number is blocked with a notice', async () => {
    expect(await send(FETCH, `客户电话 ${PHONE}`)).toBe('TypeError: Failed to fetch');
    // The notice comes from the isolated world's decider: the fallback pre-check (what ran
    // when the bridge never formed) shows none.
    await page.waitForSelector('baomi-notice[data-baomi-notice="request"]', { timeout: 5_000 });
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  // Skipped in Firefox: FIREFOX_NO_EXTENSION_CONTEXT (support/browser.ts).
  it.skipIf(IS_FIREFOX)('the blocked fetch leaves an event in the queue, masked', async () => {
    const worker = await extensionContext(launched.browser);
    // The test before this one left an event just like it: wait for a new one.
    const earlier = new Set((await queuedEvents(worker)).map((e) => e.id));
    const before = earlier.size;
    expect(await send(FETCH, `客户电话 ${PHONE}`)).toBe('TypeError: Failed to fetch');
    const event = await waitForEvent(worker, (e) => !earlier.has(e.id) && e.channel === 'request' && e.origin === intranetOrigin(server));
    expect(event.action).toMatch(/^block/);
    expect(event.findings.map((f) => f.masked)).toEqual(['138****5678']);
    expect(JSON.stringify(event)).not.toContain(PHONE);
    expect((await queuedEvents(worker)).length).toBeGreaterThan(before);
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('CONTROL: a plain fetch is received, with no notice', async () => {
    expect(await send(FETCH, '你好，明天开会')).toBe('sent');
    expect((await server.waitForHit(path)).body).toBe('你好，明天开会');
    expect(await notice()).toBeNull();
  });

  it.skipIf(IS_FIREFOX)('CONTROL: the bridge answers with the stored policy (an internal destination receives the number)', async () => {
    // Only the isolated world's decider knows the stored policy; the fallback pre-check
    // would block. So a "sent" here proves the bridge formed on the insecure page.
    const worker = await extensionContext(launched.browser);
    const state = {
      format: ACTIVE_POLICY_FORMAT,
      policy: { ...DEFAULT_POLICY, internalOrigins: [server.sinkOrigin] },
      signed: null,
      etag: null,
      receivedAt: null,
    };
    await worker.evaluate(`chrome.storage.local.set({ activePolicy: ${JSON.stringify(state)} })`);
    try {
      await page.reload({ waitUntil: 'load' });
      let result = '';
      for (let attempt = 0; attempt < 20 && result !== 'sent'; attempt++) {
        result = await send(FETCH, `客户电话 ${PHONE}`);
        if (result !== 'sent') await new Promise((r) => setTimeout(r, 250));
      }
      expect(result).toBe('sent');
      expect((await server.waitForHit(path)).body).toContain(PHONE);
    } finally {
      await worker.evaluate(`chrome.storage.local.remove('activePolicy')`);
    }
  });
});
