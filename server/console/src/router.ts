/**
 * Hash routing (`/admin/#/events`): the server only has to serve index.html at
 * /admin, and a printed or bookmarked page reopens where it was.
 */
import { useEffect, useState } from 'preact/hooks';

export function currentRoute(): string {
  const hash = globalThis.location?.hash ?? '';
  const path = hash.replace(/^#/, '');
  return path.startsWith('/') ? path.split('?')[0]! : '/';
}

export function navigate(path: string): void {
  if (currentRoute() !== path) location.hash = `#${path}`;
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The query of the hash route (`#/overrides?id=…`: a link from an alert opens one request). */
export function currentQuery(): URLSearchParams {
  const hash = globalThis.location?.hash ?? '';
  const at = hash.indexOf('?');
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
}

export function useRouteParam(name: string): string | null {
  const [value, setValue] = useState(() => currentQuery().get(name));
  useEffect(() => {
    const update = () => setValue(currentQuery().get(name));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, [name]);
  return value;
}
