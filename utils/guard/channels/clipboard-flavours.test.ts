// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { htmlTexts, selectionAttributeText } from './clipboard-flavours';

describe('htmlTexts: visible text and data-bearing attributes', () => {
  it.each([
    ['tel: link', '<a href="tel:13812345678">138****5678</a>', '13812345678'],
    ['sms: link, percent-encoded', '<a href="sms:+86%20138%201234%205678">短信</a>', '+86 138 1234 5678'],
    ['mailto: link', '<a href="MAILTO:zhang@example.com?body=13812345678">邮件</a>', 'body=13812345678'],
    ['img alt', '<img alt="13812345678">', '13812345678'],
    ['title', '<span title="客户 13812345678">张*</span>', '客户 13812345678'],
    ['data-*', '<td data-mobile="13812345678">张*</td>', '13812345678'],
    ['aria-label', '<button aria-label="拨打 13812345678">拨打</button>', '拨打 13812345678'],
  ])('%s', (_name, html, expected) => {
    // The attribute text comes last, after the visible text (if any).
    expect(htmlTexts(document, html).at(-1)).toContain(expected);
  });

  it('ignores ordinary links, ids, classes and styles (they hold ids, not data)', () => {
    const html = '<a href="https://crm.example.com/c/13812345678" id="x13812345678" class="c13812345678" style="width:1px">详情</a>';
    expect(htmlTexts(document, html)).toEqual(['详情']);
  });

  it('parses inert: no script runs, no image loads', () => {
    (globalThis as { __ran?: boolean }).__ran = false;
    htmlTexts(document, '<img src="x" onerror="globalThis.__ran = true"><script>globalThis.__ran = true</script>');
    expect((globalThis as { __ran?: boolean }).__ran).toBe(false);
  });
});

describe('selectionAttributeText', () => {
  it('reads elements inside the selection and the inline ancestors around it, not beyond the block', () => {
    document.body.innerHTML =
      '<div data-account="13900000000"><p id="p">客户 <a href="tel:13812345678"><b id="b">138****5678</b></a> <img alt="13700000000"></p><p id="q"><img alt="13600000000"></p></div>';
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('b')!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    expect(selectionAttributeText(window)).toBe('tel:13812345678');

    range.selectNodeContents(document.getElementById('p')!);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const text = selectionAttributeText(window);
    expect(text).toContain('13812345678');
    expect(text).toContain('13700000000');
    expect(text).not.toContain('13600000000'); // outside the selection
    expect(text).not.toContain('13900000000'); // a block ancestor
  });

  it('is empty without a selection', () => {
    getSelection()!.removeAllRanges();
    expect(selectionAttributeText(window)).toBe('');
  });
});
