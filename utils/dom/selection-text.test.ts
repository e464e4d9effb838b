// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fieldSelection, selectionText } from './selection-text';

beforeEach(() => {
  document.body.innerHTML = '';
  window.getSelection()?.removeAllRanges();
});

describe('selectionText', () => {
  it('returns nothing without a selection', () => {
    expect(selectionText(window)).toEqual({ texts: [], kind: 'none' });
  });

  it('reads the selected part of a focused textarea', () => {
    document.body.innerHTML = '<textarea>客户电话 13812345678 已回访</textarea>';
    const area = document.querySelector('textarea')!;
    area.focus();
    area.setSelectionRange(5, 16);
    expect(selectionText(window)).toEqual({ texts: ['13812345678'], kind: 'field' });
  });

  it('includes text hidden between digits (DOM map) next to the rendered text', () => {
    document.body.innerHTML = '<p><span>138</span><span>1234</span><b>5678</b></p>';
    const p = document.querySelector('p')!;
    const range = document.createRange();
    range.selectNodeContents(p);
    window.getSelection()!.addRange(range);
    const { texts, kind } = selectionText(window);
    expect(kind).toBe('dom');
    expect(texts.some((text) => text.includes('13812345678'))).toBe(true);
  });

  it('fieldSelection ignores non-text inputs and empty selections', () => {
    document.body.innerHTML = '<input type="checkbox"><input value="abc">';
    const [checkbox, text] = document.querySelectorAll('input');
    expect(fieldSelection(checkbox!)).toBeNull();
    expect(fieldSelection(text!)).toBeNull();
  });
});
