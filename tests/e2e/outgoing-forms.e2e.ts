/**
 * Outgoing guards in real Chromium with the built extension: each test checks what the
 * sink server RECEIVED. Pages on 127.0.0.1:A send to 127.0.0.1:B (another origin; with
 * the default policy nothing is internal, so everything is external).
 *
 * This file: form submission (form.submit(), a submit button, requestSubmit(), forms in a
 * shadow root, file uploads, pages with their own submit listeners). Script requests are
 * in outgoing-network.e2e.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingServer } from './support/outgoing-fixtures';
import { openTestPage, PHONE, sendFromPage, settle, useOutgoingGuards } from './support/outgoing-page';

describe('outgoing guards (MAIN-world hooks + bridge + submit guard)', () => {
  const guards = useOutgoingGuards();
  let server: OutgoingServer;
  let page: Page;
  let n = 0;
  /** A unique sink path per test. */
  let path = '';

  beforeEach(async () => {
    ({ server } = guards);
    path = `/t${++n}`;
    page = await openTestPage(guards);
  });

  const send = (code: string, arg: string) => sendFromPage(page, `${server.sinkOrigin}${path}`, code, arg);

  const FILL = `const f = document.getElementById('f'); f.action = SINK_PATH; document.getElementById('note').value = TEXT;`;

  it('form.submit() by script does not send', async () => {
    await send(`${FILL} f.submit(); return 'called';`, `客户 ${PHONE}`);
    await settle();
    expect(server.hits(path)).toEqual([]);
    expect(page.url()).toContain('/page.html');
  });

  it('a submit button click does not send', async () => {
    await send(FILL, `客户 ${PHONE}`);
    await page.click('#go');
    await settle();
    expect(server.hits(path)).toEqual([]);
    expect(page.url()).toContain('/page.html');
  });

  it('requestSubmit() does not send', async () => {
    await send(`${FILL} f.requestSubmit(document.getElementById('go')); return 1;`, `客户 ${PHONE}`);
    await settle();
    expect(server.hits(path)).toEqual([]);
  });

  it('CONTROL: a submit button click with plain text is sent, with the submitter', async () => {
    await send(FILL, '普通留言');
    await Promise.all([page.waitForNavigation(), page.click('#go')]);
    const hit = await server.waitForHit(path);
    expect(decodeURIComponent(hit.body.replace(/\+/g, ' '))).toBe('note=普通留言&act=send');
  });

  it('CONTROL: form.submit() with plain text is sent', async () => {
    await Promise.all([page.waitForNavigation(), send(`${FILL} f.submit(); return 1;`, 'plain')]);
    await server.waitForHit(path);
  });

  async function submitWithFile(content: string): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'baomi-upload-'));
    const file = join(dir, '客户名单.csv');
    await writeFile(file, content);
    await send(
      `${FILL} f.enctype = 'multipart/form-data'; f.insertAdjacentHTML('beforeend', '<input type=file name=doc id=doc>'); return 1;`,
      'plain',
    );
    await ((await page.$('#doc')) as ElementHandle<HTMLInputElement>).uploadFile(file);
    await page.click('#go');
    await settle();
    await rm(dir, { recursive: true, force: true });
  }

  async function submitInShadow(text: string): Promise<void> {
    await send(
      `const host = document.createElement('div'); document.body.append(host);
       const root = host.attachShadow({ mode: 'closed' });
       root.innerHTML = '<form method="post" action="' + SINK_PATH + '"><input name="tel"><button id="sgo">Send</button></form>';
       root.querySelector('input').value = TEXT;
       window.shadowButton = root.querySelector('button');
       return 1;`,
      text,
    );
    const button = (await page.evaluateHandle(
      () => (window as unknown as { shadowButton: HTMLElement }).shadowButton,
    )) as ElementHandle<HTMLElement>;
    await button.click();
  }

  it('a form inside a (closed) shadow root with a phone number does not send', async () => {
    await submitInShadow(`客户 ${PHONE}`);
    await settle();
    expect(server.hits(path)).toEqual([]);
    expect(page.url()).toContain('/page.html');
  });

  it('CONTROL: a plain form inside a shadow root is sent', async () => {
    await Promise.all([page.waitForNavigation(), submitInShadow('plain')]);
    await server.waitForHit(path);
  });

  it('upload: a text file with a phone number is not sent even though the fields are clean', async () => {
    await submitWithFile(`姓名,电话\n张三,${PHONE}\n`);
    expect(server.hits(path)).toEqual([]);
    expect(page.url()).toContain('/page.html');
  });

  it('CONTROL: upload of a clean text file is sent, file included', async () => {
    await submitWithFile('姓名,备注\n张三,老客户\n');
    expect((await server.waitForHit(path)).body).toContain('老客户');
  });

  it('a single-page app that cancels submit and fetches itself keeps working (no native re-submit)', async () => {
    const result = await send(
      `${FILL}
       return new Promise((resolve) => {
         f.addEventListener('submit', (e) => { e.preventDefault(); fetch(SINK_PATH + '/spa', { method: 'POST', body: new FormData(f) }).then(() => resolve('fetched')); });
         document.getElementById('go').click();
       });`,
      'plain',
    );
    expect(result).toBe('fetched');
    await settle();
    expect(server.hits(path).map((h) => h.path)).toEqual([`${path}/spa`]);
    expect(page.url()).toContain('/page.html');
  });

  const STOPPER = `f.addEventListener('submit', (e) => e.stopImmediatePropagation());`;

  it('a page listener that stops the submit event (without cancelling it) does not open a way around', async () => {
    await send(`${FILL} ${STOPPER} return 1;`, `客户 ${PHONE}`);
    await page.click('#go');
    await settle();
    expect(server.hits(path)).toEqual([]);
    expect(page.url()).toContain('/page.html');
  });

  it('CONTROL: with that listener, a plain submit still goes out', async () => {
    await send(`${FILL} ${STOPPER} return 1;`, 'plain');
    await Promise.all([page.waitForNavigation(), page.click('#go')]);
    await server.waitForHit(path);
  });
});
