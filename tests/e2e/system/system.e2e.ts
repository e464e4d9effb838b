/**
 * Extension and server as one system (issue 5), in real Chromium against the real
 * server on SQLite: enrollment, policy sync, lossless upload, overrides, tampering.
 * One browser and one server for the whole file; the steps build on each other.
 */
import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../utils/policy/default-policy';
import type { SignedGrant } from '../../../utils/policy/grant';
import type { Policy } from '../../../utils/policy/schema';
import { GuardPage } from '../pages/guard-page';
import { extensionWorker } from '../support/browser';
import {
  activePolicyVersion,
  enrollThroughOptions,
  extensionStorage,
  queuedEventCount,
  startSystem,
  waitFor,
  type SystemUnderTest,
} from '../support/system';

const RAW_NUMBER = '13812345678';
const SHORT_SYNC = { intervalMinutes: 0.5, staleAfterHours: 72 };

interface ServerEvent {
  id: string;
  kind: string;
  channel: string | null;
  action: string;
  findings: { type: string; masked: string; hash: string }[];
}

describe('extension + server as one system', () => {
  let system: SystemUnderTest;
  let guard: GuardPage;

  async function serverEvents(): Promise<ServerEvent[]> {
    const result = await system.admin.get<{ items: ServerEvent[]; total: number }>('/events?pageSize=200');
    return result.items;
  }
  async function serverEventCount(): Promise<number> {
    return (await system.admin.get<{ total: number }>('/events?pageSize=1')).total;
  }

  async function publish(change: (policy: Policy) => Policy, note: string): Promise<number> {
    const current = await system.admin.get<{ current: { policy: Policy } }>('/policy');
    const result = await system.admin.post<{ version: number }>('/policy/publish', { policy: change(current.current.policy), note });
    return result.version;
  }

  const copyRuleAction =
    (action: Policy['rules'][number]['action']) =>
    (policy: Policy): Policy => ({
      ...policy,
      sync: SHORT_SYNC,
      rules: policy.rules.map((rule) => (rule.id === 'no-copy-out' ? { ...rule, action } : rule)),
    });

  /** Selects the customer's number on the fixture page and presses Ctrl+C; returns the clipboard. */
  async function copyNumber(page: GuardPage = guard): Promise<string> {
    await page.writeClipboard('previous', system.extensionId);
    await page.selectContents('#number');
    await page.pressShortcut('KeyC');
    return page.readClipboard();
  }

  /** Asks for an override in the popup, as the notice's button opens it (?origin=&channel=). */
  async function requestOverrideInPopup(origin: string, channel: string, reason: string) {
    const popup = await system.browser.newPage();
    await popup.goto(`chrome-extension://${system.extensionId}/popup.html?origin=${encodeURIComponent(origin)}&channel=${channel}`);
    await popup.waitForSelector('textarea[name=reason]');
    await popup.type('textarea[name=reason]', reason);
    await popup.click('form button[type=submit]');
    await popup.waitForSelector('[data-testid=override-message]');
    expect(await popup.$eval('[data-testid=override-message]', (el) => el.textContent)).toMatch(/已提交|sent/);
    return popup;
  }

  beforeAll(async () => {
    system = await startSystem();
    // The admin shortens the sync interval before staff enroll (v2).
    await publish((policy) => ({ ...policy, sync: SHORT_SYNC }), 'e2e: short sync interval');
    const message = await enrollThroughOptions(system);
    expect(message).toMatch(/注册成功|Enrolled/);
    await waitFor(
      'first policy',
      () => activePolicyVersion(system.browser),
      (version) => version === 2,
      30_000,
    );
    guard = await GuardPage.open(system.browser, system.fixtures.url('/customers.html'));
  });

  afterAll(async () => {
    await system?.close();
  });

  it('1. a blocked copy reaches the server with its masked sample, and the raw number is nowhere in the database', async () => {
    expect(await copyNumber()).not.toContain(RAW_NUMBER);
    const events = await waitFor('the copy event on the server', serverEvents, (items) =>
      items.some((event) => event.channel === 'copy' && event.findings.some((f) => f.masked === '138****5678')),
    );
    const copy = events.find((event) => event.channel === 'copy')!;
    expect(copy.action).toBe('block-with-override');
    expect(copy.findings[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    // The SQLite file and its write-ahead log, byte for byte.
    const files = readdirSync(system.dataDir).filter((name) => /\.(db|sqlite|sqlite3)(-wal|-shm)?$/.test(name));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = await readFile(join(system.dataDir, name));
      expect(bytes.includes(Buffer.from(RAW_NUMBER)), `${name} holds the raw number`).toBe(false);
    }
  });

  it('2. a looser policy published in the console is obeyed within the interval, then a stricter one', async () => {
    const looser = await publish(copyRuleAction('audit'), 'e2e: copying is only recorded');
    await waitFor(
      'looser policy',
      () => activePolicyVersion(system.browser),
      (version) => version === looser,
      75_000,
    );
    expect(await copyNumber()).toContain(RAW_NUMBER);

    const stricter = await publish(copyRuleAction('block-with-override'), 'e2e: copying blocked again');
    await waitFor(
      'stricter policy',
      () => activePolicyVersion(system.browser),
      (version) => version === stricter,
      75_000,
    );
    expect(await copyNumber()).not.toContain(RAW_NUMBER);
  });

  it('3. an override requested in the popup and approved by an approver opens copy on that origin and channel only', async () => {
    await system.admin.post('/users', {
      username: 'li.approver',
      password: 'approver-password-1',
      role: 'approver',
      displayName: '李审批',
    });
    const { loginAdmin } = await import('../support/admin-client');
    const approver = await loginAdmin(system.server.url, 'li.approver', 'approver-password-1');

    const origin = system.fixtures.origin;
    const popup = await requestOverrideInPopup(origin, 'copy', '给客户回电需要复制号码到软电话');

    const pending = await waitFor(
      'the pending request on the server',
      () => approver.get<{ items: { id: string; origin: string; channel: string }[] }>('/overrides?state=pending'),
      (result) => result.items.some((item) => item.origin === origin && item.channel === 'copy'),
    );
    const request = pending.items.find((item) => item.origin === origin)!;
    await approver.post(`/overrides/${request.id}/approve`, { durationMinutes: 30, note: 'e2e approved' });

    // The popup polls; "sync now" is what an impatient user presses.
    await popup.bringToFront();
    await popup.click('[data-testid=sync-status] button');
    await popup.waitForSelector('[data-testid=override-requests] li[data-state=approved]', { timeout: 30_000 });
    await popup.close();

    await guard.page.bringToFront();
    expect(await copyNumber()).toContain(RAW_NUMBER);
    // Same origin, another channel: still blocked.
    await guard.writeClipboard('previous', system.extensionId);
    await guard.selectContents('#number');
    await guard.pressShortcut('KeyX');
    expect(await guard.readClipboard()).not.toContain(RAW_NUMBER);
    // Same channel, another origin: still blocked.
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    expect(await copyNumber(other)).not.toContain(RAW_NUMBER);
    await other.close();
  });

  it('3b. a denied override leaves the block in place', async () => {
    const origin = system.fixtures.otherOrigin;
    const popup = await requestOverrideInPopup(origin, 'copy', '想导出客户名单');
    const pending = await waitFor(
      'the second request',
      () => system.admin.get<{ items: { id: string; origin: string }[] }>('/overrides?state=pending'),
      (result) => result.items.some((item) => item.origin === origin),
    );
    await system.admin.post(`/overrides/${pending.items.find((item) => item.origin === origin)!.id}/deny`, { reason: '不符合规定' });
    await popup.click('[data-testid=sync-status] button');
    await popup.waitForSelector('[data-testid=override-requests] li[data-state=denied]', { timeout: 30_000 });
    expect(await popup.$eval('[data-testid=override-requests] li[data-state=denied]', (el) => el.textContent)).toContain('不符合规定');
    await popup.close();
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    expect(await copyNumber(other)).not.toContain(RAW_NUMBER);
    await other.close();
  });

  it('3d. grants forged in storage are not honoured: a signature moved to another origin, a made-up one', async () => {
    const stored = (await extensionStorage<SignedGrant[]>(system.browser, 'grants')) ?? [];
    const real = stored.find((grant) => grant.payload.origin === system.fixtures.origin && grant.payload.channel === 'copy');
    expect(real).toBeDefined();
    const moved = { ...real!, payload: { ...real!.payload, grantId: 'moved-1', origin: system.fixtures.otherOrigin } };
    const madeUp = { ...moved, payload: { ...moved.payload, grantId: 'made-up-1' }, signature: randomBytes(64).toString('base64') };
    const { worker } = await extensionWorker(system.browser);
    await worker.evaluate(`chrome.storage.local.set({ grants: ${JSON.stringify([...stored, moved, madeUp])} })`);
    // Pages opened now read the forged set at start.
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    expect(await copyNumber(other)).not.toContain(RAW_NUMBER);
    await other.close();
    // Control: the genuine grant in the same set still opens copy on its own origin.
    const own = await GuardPage.open(system.browser, system.fixtures.url('/customers.html'));
    expect(await copyNumber(own)).toContain(RAW_NUMBER);
    await own.close();
    const after = (await extensionStorage<SignedGrant[]>(system.browser, 'grants')) ?? [];
    expect(after.map((grant) => grant.payload.grantId)).toEqual(expect.arrayContaining(['moved-1', 'made-up-1']));
  });

  it('3c. an approved grant ends at its expiry', async () => {
    const popup = await requestOverrideInPopup(system.fixtures.origin, 'cut', '整理回访记录，需要剪切一分钟');
    const pending = await waitFor(
      'the cut request',
      () => system.admin.get<{ items: { id: string; channel: string }[] }>('/overrides?state=pending'),
      (result) => result.items.some((item) => item.channel === 'cut'),
    );
    await system.admin.post(`/overrides/${pending.items.find((item) => item.channel === 'cut')!.id}/approve`, { durationMinutes: 1 });
    await popup.click('[data-testid=sync-status] button');
    await popup.waitForSelector('[data-testid=override-requests] li[data-state=approved]', { timeout: 30_000 });
    await popup.close();

    const cutNumber = async () => {
      await guard.page.bringToFront();
      await guard.writeClipboard('previous', system.extensionId);
      await guard.selectInField('#notes', 0, 30);
      await guard.pressShortcut('KeyX');
      return guard.readClipboard();
    };
    const approvedAt = Date.now();
    expect(await cutNumber()).toContain(RAW_NUMBER);
    // Restore the field the cut emptied, then wait past the minute.
    await guard.page.reload({ waitUntil: 'load' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, approvedAt + 65_000 - Date.now())));
    expect(await cutNumber()).not.toContain(RAW_NUMBER);
  });

  it('4. server stopped, 50 blocks, server started: all 50 arrive exactly once', async () => {
    // Let earlier uploads settle so the count below is exact.
    await waitFor(
      'an empty queue',
      () => queuedEventCount(system.browser),
      (count) => count === 0,
      60_000,
    );
    const before = await serverEventCount();
    await system.stopServer();
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    for (let i = 0; i < 50; i++) {
      await other.selectContents('#number');
      await other.pressShortcut('KeyC');
    }
    await other.close();
    await waitFor(
      '50 queued events',
      () => queuedEventCount(system.browser),
      (count) => count >= 50,
      30_000,
    );
    await system.restartServer();
    await waitFor(
      'the queue to drain',
      () => queuedEventCount(system.browser),
      (count) => count === 0,
      120_000,
    );
    expect(await serverEventCount()).toBe(before + 50);
  });

  it('5. service worker terminated in the middle of an upload: nothing lost or doubled', async () => {
    const before = await serverEventCount();
    system.proxy.holdEventsMs = 3_000;
    const posted = system.proxy.nextEventPost();
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    for (let i = 0; i < 5; i++) {
      await other.selectContents('#number');
      await other.pressShortcut('KeyC');
    }
    await posted; // the upload is in flight, held by the proxy
    const { worker } = await extensionWorker(system.browser);
    await worker.close(); // terminates the service worker (CDP)
    system.proxy.holdEventsMs = 0;
    // The server stores the held batch, but the acknowledgement finds no worker: the
    // events stay queued and are sent again when the worker wakes (next alarm or message).
    await other.selectContents('#plain');
    await other.pressShortcut('KeyC'); // plain text: no event, but wakes nothing by itself
    await other.close();
    const popup = await system.browser.newPage();
    await popup.goto(`chrome-extension://${system.extensionId}/popup.html`); // wakes the worker
    await popup.close();
    await waitFor(
      'the queue to drain',
      () => queuedEventCount(system.browser),
      (count) => count === 0,
      120_000,
    );
    expect(await serverEventCount()).toBe(before + 5);
  });

  it('6. a policy with a tampered signature is refused, reported, and the last good one keeps working', async () => {
    const good = await activePolicyVersion(system.browser);
    system.proxy.tamperPolicy = (body) => ({
      ...body,
      signed: {
        ...body.signed,
        // A server in the middle loosens copying but cannot re-sign.
        payload: copyRuleAction('allow')(body.signed.payload as unknown as Policy),
      },
    });
    const before = (await serverEvents()).filter((event) => event.kind === 'policy-rejected').length;
    await publish((policy) => ({ ...policy, name: `${policy.name} (e2e v-next)` }), 'e2e: will be tampered in transit');
    await waitFor(
      'the rejection event',
      async () => (await serverEvents()).filter((event) => event.kind === 'policy-rejected').length,
      (count) => count > before,
      90_000,
    );
    expect(await activePolicyVersion(system.browser)).toBe(good);
    // The other origin: the first one holds the copy grant approved in step 3.
    const other = await GuardPage.open(system.browser, system.fixtures.otherUrl('/customers.html'));
    expect(await copyNumber(other)).not.toContain(RAW_NUMBER);
    await other.close();
    system.proxy.tamperPolicy = null;
  });
});

// Keeps DEFAULT_POLICY's copy rule id in one place: the tests above rely on it.
expect(DEFAULT_POLICY.rules.some((rule) => rule.id === 'no-copy-out')).toBe(true);
