/**
 * Shared by the outgoing-guard e2e files (outgoing-network, outgoing-forms): one sink
 * server and one Chromium with the built extension per file, a fresh page per test, and
 * the phone number and timings their assertions rely on.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { extensionContext, IS_FIREFOX, launchBrowser, type LaunchedBrowser, type LaunchOptions } from './browser';
import { startOutgoingServer, type OutgoingServer } from './outgoing-fixtures';

export const PHONE = '13812345678';
/** Long enough for a deferred request to have arrived if it was going to. */
const SETTLE_MS = 1_500;
export const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

/** A fetch that reports how it ended, so a blocked call is told apart from a sent one. */
export const FETCH = `return fetch(SINK_PATH, { method: 'POST', body: TEXT }).then(() => 'sent', (e) => e.name + ': ' + e.message);`;

export interface OutgoingGuards {
  launched: LaunchedBrowser;
  server: OutgoingServer;
}

/**
 * Registers the file's beforeAll/afterAll: starts the sink server and the browser (extension
 * worker up, clipboard allowed on the page origin). The fields are set once beforeAll has run.
 */
export function useOutgoingGuards(
  launch: LaunchOptions = {},
  pageOrigins: (server: OutgoingServer) => string[] = (s) => [s.pageOrigin],
): OutgoingGuards {
  const guards = {} as OutgoingGuards;
  beforeAll(async () => {
    guards.server = await startOutgoingServer();
    guards.launched = await launchBrowser(launch);
    if (!IS_FIREFOX) await extensionContext(guards.launched.browser);
    // Firefox: the clipboard is open to tests by a pref (support/browser.ts), not by permissions.
    for (const origin of IS_FIREFOX ? [] : pageOrigins(guards.server)) {
      await guards.launched.browser
        .defaultBrowserContext()
        .overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    }
  });
  afterAll(async () => {
    await guards.launched?.close();
    await guards.server?.close();
  });
  return guards;
}

/** A new tab on the test page (earlier tabs stay open: a test never reuses another's page). */
export async function openTestPage({ launched, server }: OutgoingGuards, origin = server.pageOrigin): Promise<Page> {
  const page = await launched.browser.newPage();
  await page.goto(`${origin}/page.html`, { waitUntil: 'load' });
  return page;
}

/** Runs `code` in the page as a function body with SINK_PATH = `sinkUrl` and TEXT = `text`. */
export function sendFromPage(page: Page, sinkUrl: string, code: string, text: string) {
  return page.evaluate(new Function('SINK_PATH', 'TEXT', code) as never, sinkUrl, text);
}
