/**
 * Inline style for our shadow hosts (notice, print overlay): every rule `!important`,
 * plus the rules a page's CSS would use to hide or disguise an element. Page
 * stylesheets cannot beat an inline `!important` declaration.
 */
const UNHIDEABLE_RULES = ['z-index: 2147483647', 'visibility: visible', 'opacity: 1', 'transform: none', 'filter: none', 'clip-path: none'];

export function unhideableHostStyle(rules: readonly string[]): string {
  return [...rules, ...UNHIDEABLE_RULES].map((rule) => `${rule} !important`).join(';');
}
