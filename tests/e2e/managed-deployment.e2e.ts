/**
 * Managed deployment, as an IT admin does it (README "Deploying to staff"): the Baomi server
 * hosts the extension (npm run publish:extension packs it with the data dir's key), Chromium's
 * machine policy force-installs it from the server's own update URL and hands it its
 * configuration through managed storage. Against a real server (SQLite in a temp dir) this proves:
 *   - install from the server and enrolment with no click: the device shows up on the server
 *     under the managed user, running the published version;
 *   - a newer version published on the server reaches the installed browser;
 *   - the request layer in this mode is blocking webRequest (Chrome MV3 grants
 *     webRequestBlocking only to policy-installed extensions): a worker's POST body and a
 *     base64-wrapped number in a URL — neither of which the declarativeNetRequest rule of an
 *     unpacked install can see — never reach the sink, the ordinary requests beside them do,
 *     and the blocks reach the server as events with masked samples only.
 * The policy file is visible to this test's Chromium only (support/managed-chromium.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../server/start';
import { loginAdmin, type AdminClient } from './support/admin-client';
import { publishExtension } from '../../server/extension/publish';
import { EXTENSION_DIR, IS_FIREFOX } from './support/browser';
import {
  CHROMIUM_ETC,
  launchManagedChromium,
  managedPolicyUnavailable,
  managedWorkDir,
  removeWorkDir,
  type ManagedChromium,
} from './support/managed-chromium';
import { policyFromConsole, type ConsolePolicy } from './support/deployment-console';
import { startOutgoingServer, type OutgoingServer } from './support/outgoing-fixtures';
import { PHONE, settle } from './support/outgoing-page';

const ADMIN_PASSWORD = 'e2e-admin-password-managed';
const ENROLLMENT_CODE = 'E2E-MANAGED-0001';

/** Chromium only (Firefox reads policies.json, a different mechanism); root for the private /etc/chromium. */
const unavailable = IS_FIREFOX ? 'Chromium enterprise policy test (Firefox uses policies.json)' : managedPolicyUnavailable();

interface ServerDevice {
  id: string;
  enrollments: number;
  userId: string;
  department: string | null;
  browser: string | null;
  extensionVersion: string | null;
}
interface ServerEvent {
  channel: string | null;
  action: string;
  destination?: string | null;
  findings: { type: string; masked: string }[];
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(unavailable !== null)(
  `managed deployment (Chromium enterprise policy)${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let workDir: string;
    let server: StartedServer;
    let admin: AdminClient;
    let dataDir: string;
    let firstVersion: string;
    let sink: OutgoingServer;
    let chromium: ManagedChromium;
    let device: ServerDevice;
    let fromConsole: ConsolePolicy;

    beforeAll(async () => {
      workDir = await managedWorkDir();
      dataDir = join(workDir, 'server-data'); // removed with workDir
      await mkdir(dataDir);
      server = await startServer({
        port: 0,
        host: '127.0.0.1',
        dataDir,
        databaseUrl: '',
        adminPassword: ADMIN_PASSWORD,
        enrollmentCode: ENROLLMENT_CODE,
      });
      admin = await loginAdmin(server.url, 'admin', ADMIN_PASSWORD);
      // What `npm run publish:extension` does after building: pack with the data dir's key.
      const built = JSON.parse(await readFile(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { version: string };
      firstVersion = (await publishExtension({ dataDir, chromeDir: EXTENSION_DIR, baseVersion: built.version, publicUrl: server.url }))
        .release.version;
      sink = await startOutgoingServer();
      // The IT admin makes the Linux policy file on the console's 部署 page; it goes in as made.
      fromConsole = await policyFromConsole(server.url, ADMIN_PASSWORD);
      chromium = await launchManagedChromium(JSON.parse(fromConsole.linuxPolicy) as object, workDir);
    });
    afterAll(async () => {
      // Each step on its own: a failure in one must not leave the others running.
      await chromium?.close();
      await sink?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await removeWorkDir(workDir);
    });

    it("the policy installs the CRX from the server's update URL and the extension enrolls itself: no click, the device is on the server", async () => {
      // The file names the server, the extension and the code the page created, as the page showed it.
      const policy = JSON.parse(fromConsole.linuxPolicy) as { ExtensionInstallForcelist: string[]; '3rdparty': { extensions: object } };
      expect(policy.ExtensionInstallForcelist).toEqual([`${server.keys.extension.id};${server.url}/extension/chrome/updates.xml`]);
      expect(policy['3rdparty'].extensions).toEqual({
        [server.keys.extension.id]: { serverUrl: server.url, enrollmentCode: fromConsole.code },
      });
      device = await poll('the managed device on the server', async () => {
        const { items } = await admin.get<{ items: ServerDevice[] }>('/devices');
        return items[0];
      });
      // Enrolled with the code the console made (the server's own code was never handed out).
      const { items: codes } = await admin.get<{ items: { label: string | null; uses: number }[] }>('/enrollment-codes');
      expect(codes.map((code) => [code.label, code.uses])).toEqual(expect.arrayContaining([['部署', 1]]));
      expect(codes.filter((code) => code.label !== '部署').every((code) => code.uses === 0)).toBe(true);
      // The published package (its version written at publish), not the unpacked build (0.1.0).
      expect(device.extensionVersion).toBe(firstVersion);
      expect(firstVersion).toMatch(/^\d+\.\d+\.\d+\.1$/);
      // The policy file lived in this browser's private /etc/chromium only: no other Chromium saw it.
      expect(existsSync(join(CHROMIUM_ETC, 'policies', 'managed', basename(chromium.policyFile)))).toBe(false);
    });

    describe('the request layer is blocking webRequest', () => {
      let page: Page;
      const path = '/managed';

      beforeAll(async () => {
        page = await chromium.browser.newPage();
        await page.goto(`${sink.pageOrigin}/page.html`, { waitUntil: 'load' });
      });

      /** Runs `request` (an expression evaluating to a fetch promise) in a dedicated worker; resolves 'sent' or the error name. */
      const inWorker = (request: string) =>
        page.evaluate(
          (code: string) =>
            new Promise((resolve) => {
              const worker = new Worker(
                URL.createObjectURL(
                  new Blob([`${code}.then(() => postMessage('sent'), (e) => postMessage(e.name));`], { type: 'text/javascript' }),
                ),
              );
              worker.onmessage = (event) => resolve(event.data);
            }),
          request,
        );

      it("a worker's POST body with the number never reaches the sink; the same POST with plain text does", async () => {
        const url = JSON.stringify(`${sink.sinkOrigin}${path}/body`);
        expect(await inWorker(`fetch(${url}, { method: 'POST', body: '客户电话 ${PHONE}' })`)).toBe('TypeError');
        expect(await inWorker(`fetch(${url}, { method: 'POST', body: '会议改到周五' })`)).toBe('sent');
        const hits = sink.hits(`${path}/body`);
        expect(hits.map((hit) => hit.body)).toEqual(['会议改到周五']);
      });

      it('a number wrapped in base64 in a worker request URL is stopped; an ordinary id and timestamp go out', async () => {
        const wrapped = Buffer.from(JSON.stringify({ tel: PHONE, name: '张三' })).toString('base64');
        const ordinary = 'id=40213&ts=1733299200123';
        expect(await inWorker(`fetch(${JSON.stringify(`${sink.sinkOrigin}${path}/b64?d=${encodeURIComponent(wrapped)}`)})`)).toBe(
          'TypeError',
        );
        expect(await inWorker(`fetch(${JSON.stringify(`${sink.sinkOrigin}${path}/b64?${ordinary}`)})`)).toBe('sent');
        await settle();
        expect(sink.hits(`${path}/b64`).map((hit) => hit.path)).toEqual([`${path}/b64?${ordinary}`]);
      });

      it('the blocks reach the server as request events with masked samples, never the number', async () => {
        const events = await poll('request events on the server', async () => {
          const { items } = await admin.get<{ items: ServerEvent[] }>('/events?pageSize=200');
          const blocks = items.filter(
            (event) => event.channel === 'request' && event.findings.some((finding) => finding.masked === '138****5678'),
          );
          return blocks.length >= 2 ? blocks : undefined;
        });
        for (const event of events) expect(event.action).toMatch(/^block/);
        expect(JSON.stringify(events)).not.toContain(PHONE);
      });
    });

    it('a newer version published on the server reaches the installed browser, which keeps its enrolment', async () => {
      const built = JSON.parse(await readFile(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { version: string };
      const next = (await publishExtension({ dataDir, chromeDir: EXTENSION_DIR, baseVersion: built.version, publicUrl: server.url }))
        .release.version;
      expect(next).not.toBe(firstVersion);
      // A staff browser finds it at its next periodic check (every few hours); the test asks
      // now, as chrome://extensions' Update button does. (Not through the extension: by
      // default — DeveloperToolsAvailability — a policy-installed extension has no debuggable target.)
      const extensionsPage = await chromium.browser.newPage();
      await extensionsPage.goto('chrome://extensions');
      await extensionsPage.evaluate(
        'new Promise((resolve) => chrome.developerPrivate.autoUpdate(() => resolve(chrome.runtime.lastError?.message ?? null)))',
      );
      const updated = await poll('the device reporting the new version', async () => {
        const { items } = await admin.get<{ items: ServerDevice[] }>('/devices');
        const found = items.find((candidate) => candidate.id === device.id);
        return found?.extensionVersion === next ? found : undefined;
      });
      expect(updated.enrollments).toBe(1);
    });
  },
);
