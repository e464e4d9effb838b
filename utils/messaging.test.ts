import { describe, expect, it } from 'vitest';
import { contentMessageSchema, pageStatusSchema } from './messaging';

describe('page-status message', () => {
  const base = { type: 'page-status', origin: 'https://crm.example', level: '机密', isTopFrame: true } as const;

  it.each([
    ['only the types found', { mobile: 2, marker: 1 }],
    ['nothing found', {}],
  ])('accepts counts of %s (a partial record)', (_, countsByType) => {
    expect(contentMessageSchema.safeParse({ ...base, countsByType }).success).toBe(true);
  });

  it.each([
    ['an unknown type', { fax: 1 }],
    ['a negative count', { mobile: -1 }],
    ['a fractional count', { mobile: 1.5 }],
  ])('rejects %s', (_, countsByType) => {
    expect(pageStatusSchema.safeParse({ ...base, countsByType }).success).toBe(false);
  });
});
