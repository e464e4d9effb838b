/**
 * Pretty-printed canonical JSON: keys sorted at every depth, two-space indent,
 * `undefined` members dropped. Two policies that are equal print alike, whatever
 * order the server or the form left their keys in, so a line diff shows only meaning.
 */
export function canonicalPretty(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
