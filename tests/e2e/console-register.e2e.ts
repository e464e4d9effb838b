/**
 * The console's customer register page (issue 15) in Chromium against the real server:
 * pick a CSV, see the first rows with the suggested column mapping, import, see the
 * counts; a file with a bad level shows its errors by row and the register stays; the IT
 * administrator clears the register (confirmed; the page then says it is cleared). In
 * zh-CN and in English, with screenshots of each state ($BAOMI_SHOT_DIR or
 * /tmp/shots-register).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialog, ElementHandle, Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, useAdminConsole } from './support/console-page';

const SHOTS = process.env.BAOMI_SHOT_DIR ?? '/tmp/shots-register';
const GOOD = [
  '客户名称,联系人,手机,电话,密级',
  '北京星辰科技有限公司,王伟、赵敏,138-1234-5678,010-62345678,绝密',
  '上海某贸易有限公司,李娜,13987654321,,秘密',
  '广州海鸥电子有限公司,陈静,13600001111,020-81234567,机密',
].join('\n');
const BAD = [
  '客户名称,联系人,手机,电话,密级',
  '甲公司,张三,13500001111,,绝密',
  '乙公司,李四,13500002222,,非常机密',
  ',王五,13500003333,,秘密',
  '丁公司,赵六,不是号码,,机密',
  // Excel's CSV of a number column it shows in scientific notation: the digits are lost.
  '戊公司,钱七,1.38123E+10,,秘密',
].join('\n');

describe('console: customer register import', () => {
  const adminConsole = useAdminConsole();
  let page: Page;
  const dir = join(tmpdir(), `baomi-register-files-${process.pid}`);

  beforeAll(async () => {
    page = adminConsole.page;
    mkdirSync(dir, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, '客户名录.csv'), GOOD);
    writeFileSync(join(dir, '客户名录-错误.csv'), BAD);
    await adminConsole.logIn('admin', ADMIN_PASSWORD);
  });

  async function inLanguage(lang: 'zh-CN' | 'en') {
    await page.evaluate((value) => localStorage.setItem('baomi-console-lang', value), lang);
    await adminConsole.open('/customer-register');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid="register-file"]');
  }

  async function pick(file: string) {
    const input = (await page.$('[data-testid="register-file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(dir, file));
    await page.waitForSelector('[data-testid="register-preview"]');
  }

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`previews, maps and imports; errors by row keep the register (${lang})`, async () => {
      await inLanguage(lang);
      await pick('客户名录.csv');
      const preview = await adminConsole.textOf('[data-testid="register-preview"]');
      expect(preview).toContain('北京星辰科技有限公司');
      const mapped = await page.$$eval('[data-testid="register-mapping"] select', (selects) =>
        selects.map((s) => [(s as HTMLSelectElement).dataset.field, (s as HTMLSelectElement).value]),
      );
      expect(Object.fromEntries(mapped)).toEqual({ name: '0', contacts: '1', mobile: '2', phone: '3', idNumber: '-1', level: '4' });
      await page.screenshot({ path: join(SHOTS, `register-preview-${lang}.png`), fullPage: true });
      await page.click('[data-testid="register-import"]');
      await page.waitForSelector('[data-testid="register-done"]');
      const done = await adminConsole.textOf('[data-testid="register-done"]');
      expect(done).toContain(lang === 'zh-CN' ? '3 个客户' : '3 customers');
      await page.waitForFunction(() => document.querySelector('[data-testid="register-current"]')?.textContent?.includes('3'));
      const versionBefore = (await adminConsole.adminApi<{ current: { version: number } }>('/api/admin/customer-register')).current.version;

      await pick('客户名录-错误.csv');
      await page.click('[data-testid="register-import"]');
      await page.waitForSelector('[data-testid="register-errors"]');
      const errors = await adminConsole.textOf('[data-testid="register-errors"]');
      if (lang === 'zh-CN') {
        expect(errors).toContain('密级无法识别');
        expect(errors).toContain('缺少客户名称');
        expect(errors).toContain('号码无法识别');
        expect(errors).toContain('科学计数法');
      } else {
        expect(errors).toContain('Unknown level');
        expect(errors).toContain('Customer name missing');
        expect(errors).toContain('Number not recognised');
        expect(errors).toContain('scientific notation');
      }
      const rows = await page.$$eval('[data-testid="register-errors"] tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
      expect(rows).toEqual(['3', '4', '5', '6']);
      await page.screenshot({ path: join(SHOTS, `register-errors-${lang}.png`), fullPage: true });
      expect((await adminConsole.adminApi<{ current: { version: number } }>('/api/admin/customer-register')).current.version).toBe(
        versionBefore,
      );
    });
  }
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`clears the register after a confirmation; the page says so, an empty version is current (${lang})`, async () => {
      await inLanguage(lang);
      await pick('客户名录.csv');
      await page.click('[data-testid="register-import"]');
      await page.waitForSelector('[data-testid="register-done"]');
      await page.waitForSelector('[data-testid="register-clear"]');
      const hint = await adminConsole.textOf('[data-testid="register-clear-box"]');
      expect(hint).toContain(lang === 'zh-CN' ? '清空名录' : 'Clear register');
      await page.screenshot({ path: join(SHOTS, `register-clear-before-${lang}.png`), fullPage: true });

      // The confirmation names the version and the customers; dismissing it changes nothing.
      const before = (await adminConsole.adminApi<{ current: { version: number } }>('/api/admin/customer-register')).current.version;
      // (support/console-page.ts accepts every dialog: the page's confirm is answered "cancel" here instead.)
      const asked = await page.evaluate(async () => {
        const w = window as unknown as { confirm(message?: string): boolean };
        const original = w.confirm;
        const questions: string[] = [];
        w.confirm = (message?: string) => (questions.push(message ?? ''), false);
        document.querySelector<HTMLButtonElement>('[data-testid="register-clear"]')!.click();
        await new Promise((resolve) => setTimeout(resolve, 300));
        w.confirm = original;
        return questions;
      });
      expect(asked[0]).toContain(lang === 'zh-CN' ? `第 ${before} 版，3 个客户` : `version ${before}, 3 customers`);
      expect((await adminConsole.adminApi<{ current: { version: number } }>('/api/admin/customer-register')).current.version).toBe(before);

      const questions: string[] = [];
      page.once('dialog', (dialog: Dialog) => void questions.push(dialog.message())); // accepted by the console-page handler
      await page.click('[data-testid="register-clear"]');
      await page.waitForSelector('[data-testid="register-cleared"]');
      expect(questions).toEqual([asked[0]]);
      const cleared = await adminConsole.textOf('[data-testid="register-cleared"]');
      expect(cleared).toContain(lang === 'zh-CN' ? `清空（第 ${before + 1} 版）` : `(version ${before + 1})`);
      expect(await adminConsole.textOf('[data-testid="register-cleared-done"]')).toContain(
        lang === 'zh-CN' ? '终端在下次同步时删除本地名录' : 'Devices delete their copy at their next sync',
      );
      expect(await page.$('[data-testid="register-clear"]')).toBeNull();
      await page.screenshot({ path: join(SHOTS, `register-cleared-${lang}.png`), fullPage: true });
      const info = await adminConsole.adminApi<{ current: { version: number; cleared: boolean; customerCount: number } }>(
        '/api/admin/customer-register',
      );
      expect(info.current).toMatchObject({ version: before + 1, cleared: true, customerCount: 0 });
      const audit = await adminConsole.adminApi<{ items: { action: string }[] }>('/api/admin/audit-log');
      expect(audit.items.some((entry) => entry.action === 'register-clear')).toBe(true);
    });
  }
});
