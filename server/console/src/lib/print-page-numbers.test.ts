import { describe, expect, it } from 'vitest';
import { pageCounterContent, pageNumberCss } from './print-page-numbers';

describe('printed page numbers', () => {
  it('turns the catalogue template into CSS counters, words quoted', () => {
    expect(pageCounterContent('第 {page} 页，共 {pages} 页')).toBe('"第 " counter(page) " 页，共 " counter(pages) " 页"');
    expect(pageCounterContent('Page {page} of {pages}')).toBe('"Page " counter(page) " of " counter(pages)');
    expect(pageCounterContent('{page}/{pages}')).toBe('counter(page) "/" counter(pages)');
  });
  it('quotes what would break out of the string', () => {
    expect(pageCounterContent('p"{page}\\')).toBe('"p\\"" counter(page) "\\\\"');
    expect(pageNumberCss('{page}')).toContain('@bottom-center { content: counter(page);');
  });
});
