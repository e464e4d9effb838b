// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { formPayload, isTextFile, uploadText } from './outgoing-form';

function makeForm(html: string): HTMLFormElement {
  document.body.innerHTML = html;
  return document.querySelector('form')!;
}
const env = () => ({ FormData, File, baseURI: 'https://crm.example.com/app/', URL });

describe('formPayload', () => {
  it('collects non-empty text fields, resolves the action and knows the origin', () => {
    const form = makeForm(`<form action="/save" method="post">
      <input name="name" value="张三"><input name="tel" value="13812345678"><input name="empty" value="">
      <textarea name="note">备注</textarea></form>`);
    const p = formPayload(form, null, env());
    expect(p.text).toBe('/save\nname=张三\ntel=13812345678\nnote=备注');
    expect(p.destination.origin).toBe('https://crm.example.com');
    expect([p.hasData, p.sendsNothing]).toEqual([true, false]);
  });

  it('uses the submitter: its name=value and its formaction', () => {
    const form = makeForm(`<form action="https://a.test/x"><input name="q" value="1">
      <button name="act" value="send" formaction="https://b.test/y">go</button></form>`);
    const p = formPayload(form, form.querySelector('button'), env());
    expect(p.destination.origin).toBe('https://b.test');
    expect(p.text).toContain('act=send');
  });

  it('a form with only empty fields and no query has no data', () => {
    const p = formPayload(makeForm(`<form action="https://a.test/x"><input name="q" value=""></form>`), null, env());
    expect(p.hasData).toBe(false);
  });

  it('data in the action query counts as data', () => {
    const p = formPayload(makeForm(`<form action="https://a.test/x?tel=13812345678"></form>`), null, env());
    expect(p.hasData).toBe(true);
    expect(p.text).toContain('13812345678');
  });

  it('method=dialog sends nothing', () => {
    expect(formPayload(makeForm(`<form method="dialog"><input name="a" value="1"></form>`), null, env()).sendsNothing).toBe(true);
  });
});

describe('upload text', () => {
  it.each([
    ['a.txt', 'text/plain', true],
    ['a.csv', '', true],
    ['a.json', 'application/json', true],
    ['a.png', 'image/png', false],
    ['a.bin', 'application/octet-stream', false],
  ])('%s (%s) is text: %s', (name, type, expected) => {
    expect(isTextFile(new File(['x'], name, { type }))).toBe(expected);
  });

  it('reads names and small text files, not binaries or big files', async () => {
    const text = await uploadText([
      new File(['客户 13812345678'], '客户名单.csv', { type: 'text/csv' }),
      new File(['13900000000'], 'photo.png', { type: 'image/png' }),
      new File(['x'.repeat(1024 * 1024 + 1)], 'big.txt', { type: 'text/plain' }),
    ]);
    expect(text).toBe('客户名单.csv\n客户 13812345678\nphoto.png\nbig.txt');
  });
});
