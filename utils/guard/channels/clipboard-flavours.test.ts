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

  it('takes every element the range touches between text-node boundaries, and none after the end', () => {
    document.body.innerHTML =
      '<div><p id="a">开头 <i data-n="1">一</i> 尾</p><p data-n="2"><span data-n="3">中</span></p><p id="c">结<b data-n="4">束</b></p><p data-n="5">后</p></div>';
    const range = document.createRange();
    range.setStart(document.getElementById('a')!.firstChild!, 1); // inside the text "开头 "
    range.setEnd(document.getElementById('c')!.firstChild!, 1); // inside the text "结"
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const values = selectionAttributeText(window).split('\n');
    expect(values).toEqual(['1', '2', '3']); // <b data-n="4"> starts after the end, <p data-n="5"> too
  });

  it('agrees with Range.intersectsNode on random trees and ranges', () => {
    // A seeded generator: the same trees on every run.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let round = 0; round < 200; round++) {
      document.body.innerHTML = '';
      const host = document.createElement('div');
      document.body.append(host);
      const elements: Element[] = [];
      const grow = (parent: Element, depth: number) => {
        for (let i = random(4); i >= 0; i--) {
          if (depth < 3 && random(2) === 0) {
            const child = document.createElement(random(2) ? 'span' : 'em');
            child.setAttribute('data-i', String(elements.length));
            elements.push(child);
            parent.append(child);
            grow(child, depth + 1);
          } else parent.append(document.createTextNode('字' + i));
        }
      };
      grow(host, 0);
      const points: [Node, number][] = [];
      const collect = (node: Node) => {
        const size = node.nodeType === 3 ? (node as Text).data.length : node.childNodes.length;
        for (let offset = 0; offset <= size; offset++) points.push([node, offset]);
        node.childNodes.forEach(collect);
      };
      collect(host);
      const range = document.createRange();
      const [a, b] = [points[random(points.length)]!, points[random(points.length)]!];
      range.setStart(...a);
      range.setEnd(...b); // an end before the start collapses the range to it
      if (range.collapsed) continue;
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      const got = selectionAttributeText(window).split('\n').filter(Boolean).map(Number);
      const root = range.commonAncestorContainer;
      const expected = elements
        .filter((element) => range.intersectsNode(element))
        .filter((element) => root.contains(element) && element !== root)
        .map((element) => Number(element.getAttribute('data-i')));
      // Inline ancestors of the common ancestor are read too (the browser wraps the fragment in them).
      const ancestors = new Set<number>();
      for (let node: Node | null = root; node && node !== host; node = node.parentNode)
        if (node.nodeType === 1) ancestors.add(Number((node as Element).getAttribute('data-i')));
      expect(new Set(got.filter((i) => !ancestors.has(i)))).toEqual(new Set(expected));
    }
  });

  it('is empty without a selection', () => {
    getSelection()!.removeAllRanges();
    expect(selectionAttributeText(window)).toBe('');
  });
});
