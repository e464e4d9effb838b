/**
 * The IT admin's side of a deployment, in the console as they use it: sign in, open
 * 部署 / Deployment, create a deployment code, make the policy files, and read the one a
 * Linux Chromium takes. Screenshots of the page in zh-CN and en go to SHOT_DIR.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchBrowser } from './browser';
import { shotPath } from './screenshots';

const CONSOLE_DIST = resolve('server/console/dist/index.html');

export interface ConsolePolicy {
  /** The Chromium (Linux) policy file as the page shows it. */
  linuxPolicy: string;
  /** The code the page created, as shown once. */
  code: string;
  /** The screenshots taken. */
  shots: string[];
}

async function signIn(page: Page, serverUrl: string, password: string): Promise<void> {
  await page.goto(`${serverUrl}/admin/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="login-form"]');
  await page.type('input[name="username"]', 'admin');
  await page.type('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="current-user"]');
}

export async function policyFromConsole(serverUrl: string, adminPassword: string): Promise<ConsolePolicy> {
  if (!existsSync(CONSOLE_DIST)) execSync('npm run build:console', { stdio: 'inherit' });
  const launched = await launchBrowser({ withExtension: false });
  try {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await signIn(page, serverUrl, adminPassword);
    await page.goto(`${serverUrl}/admin/#/deployment`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="deploy-form"]');
    await page.click('[data-action="new-code"]');
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[name="enrollmentCode"]')?.value ?? '') !== '');
    const code = await page.$eval('input[name="enrollmentCode"]', (input) => (input as HTMLInputElement).value);
    await page.click('[data-action="generate"]');
    await page.waitForSelector('[data-file="chromium-linux"] pre');
    const linuxPolicy = await page.$eval('[data-file="chromium-linux"] pre', (pre) => pre.textContent ?? '');
    // The screenshot shows one file opened, as an admin reading it would.
    await page.$eval('[data-file="chromium-linux"] details', (details) => ((details as HTMLDetailsElement).open = true));
    const shots = [shotPath('deployment', 'zh-CN')];
    await page.screenshot({ path: shots[0], fullPage: true });
    // English: the console's language switch keeps the page (and its state) as it is.
    await page.click('[data-testid="lang-switch"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    shots.push(shotPath('deployment', 'en'));
    await page.screenshot({ path: shots[1], fullPage: true });
    return { linuxPolicy, code, shots };
  } finally {
    await launched.close();
  }
}
