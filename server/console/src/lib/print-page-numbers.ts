/**
 * Page numbers on the printed report ("第 1 页，共 3 页"): an @page bottom margin box with
 * CSS counters, its words taken from the catalogue. The rule is set through a constructed
 * stylesheet because the console's Content-Security-Policy allows no inline <style>.
 */

/** `第 {page} 页，共 {pages} 页` → `"第 " counter(page) " 页，共 " counter(pages) " 页"`. */
export function pageCounterContent(template: string): string {
  const parts = template.split(/(\{page\}|\{pages\})/).filter((part) => part !== '');
  return parts
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : JSON.stringify(part)))
    .join(' ');
}

export function pageNumberCss(template: string): string {
  return `@media print { @page { @bottom-center { content: ${pageCounterContent(template)}; font-size: 9pt; color: #555; } } }`;
}

/** Installs (or re-words, on a language change) the page-number rule; returns its removal. */
export function installPageNumbers(template: string): () => void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(pageNumberCss(template));
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((candidate) => candidate !== sheet);
  };
}
