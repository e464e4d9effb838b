/**
 * Reading and immutably updating a draft by path (`rules.0.channels`). The policy
 * draft may be anything the JSON tab let through, so the form reads it defensively.
 */
export type Path = readonly (string | number)[];

export function getIn(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export function setIn<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const container: Record<string | number, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : value !== null && typeof value === 'object'
      ? { ...(value as Record<string, unknown>) }
      : typeof key === 'number'
        ? []
        : {};
  const child = (container as Record<string | number, unknown>)[key];
  (container as Record<string | number, unknown>)[key] = setIn(child, rest, next);
  return container as T;
}

export function pathKey(path: Path): string {
  return path.join('.');
}
