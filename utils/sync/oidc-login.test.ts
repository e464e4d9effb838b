import { describe, expect, it } from 'vitest';
import { loginThroughTab, OidcLoginError, readDoneFragment, type LoginTabs } from './oidc-login';

const TICKET = 'T'.repeat(43);

describe('readDoneFragment', () => {
  it.each([
    [`https://baomi.corp.example/oidc/done#ticket=${TICKET}`, { ticket: TICKET }],
    [`http://127.0.0.1:8787/oidc/done#ticket=${TICKET}`, { ticket: TICKET }],
    ['https://baomi.corp.example/oidc/done#error=sso-expired', { error: 'sso-expired' }],
    ['https://baomi.corp.example/oidc/done#ticket=short', { error: 'oidc-failed' }],
    ['https://baomi.corp.example/oidc/done#error=<script>', { error: 'oidc-failed' }],
    ['https://baomi.corp.example/oidc/done', null],
    ['https://idp.corp.example/login?ticket=x', null],
    [`https://baomi.corp.example/oidc/done/x#ticket=${TICKET}`, null],
    [`javascript:/oidc/done#ticket=${TICKET}`, null],
  ])('%s → %j', (url, expected) => {
    expect(readDoneFragment(url)).toEqual(expected);
  });
});

/** Tabs as the browser gives them to the options page, driven by the test. */
function fakeTabs() {
  const updated = new Set<(tabId: number, change: { url?: string }) => void>();
  const removed = new Set<(tabId: number) => void>();
  const opened: string[] = [];
  const closed: number[] = [];
  let markOpened: () => void = () => undefined;
  /** Resolves once the login tab was opened (after the challenge's digest: no fixed delay). */
  const tabOpened = new Promise<void>((resolve) => (markOpened = resolve));
  const tabs: LoginTabs = {
    create: async ({ url }) => {
      opened.push(url);
      markOpened();
      return { id: 7 };
    },
    remove: async (id) => void closed.push(id),
    onUpdated: { addListener: (l) => updated.add(l), removeListener: (l) => updated.delete(l) },
    onRemoved: { addListener: (l) => removed.add(l), removeListener: (l) => removed.delete(l) },
  };
  return {
    tabs,
    opened,
    closed,
    // The listeners are added right after `create` returns.
    ready: () => tabOpened.then(() => new Promise((resolve) => setTimeout(resolve, 0))),
    navigate: (tabId: number, url: string) => [...updated].forEach((l) => l(tabId, { url })),
    close: (tabId: number) => [...removed].forEach((l) => l(tabId)),
    listeners: () => updated.size + removed.size,
  };
}

describe('loginThroughTab', () => {
  it('opens the start URL with the SHA-256 of its secret, and resolves with the ticket of its own tab only', async () => {
    const fake = fakeTabs();
    const login = loginThroughTab('https://baomi.corp.example', fake.tabs);
    await fake.ready();
    const start = new URL(fake.opened[0]!);
    expect(start.origin + start.pathname).toBe('https://baomi.corp.example/oidc/enroll');
    const challenge = start.searchParams.get('challenge')!;
    fake.navigate(8, `https://baomi.corp.example/oidc/done#ticket=${'X'.repeat(43)}`); // another tab: ignored
    fake.navigate(7, 'https://idp.corp.example/login');
    fake.navigate(7, `https://baomi.corp.example/oidc/done#ticket=${TICKET}`);
    const { ticket, verifier } = await login;
    expect(ticket).toBe(TICKET);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    expect(Buffer.from(digest).toString('base64url')).toBe(challenge);
    expect(fake.closed).toEqual([7]);
    expect(fake.listeners()).toBe(0);
  });

  it('a closed tab, an error page and a timeout end the wait with their codes', async () => {
    const closedTab = fakeTabs();
    const cancelled = loginThroughTab('https://baomi.corp.example', closedTab.tabs);
    await closedTab.ready();
    closedTab.close(7);
    await expect(cancelled).rejects.toEqual(new OidcLoginError('oidc-cancelled'));

    const refused = fakeTabs();
    const failing = loginThroughTab('https://baomi.corp.example', refused.tabs);
    await refused.ready();
    refused.navigate(7, 'https://baomi.corp.example/oidc/done#error=oidc-refused');
    await expect(failing).rejects.toEqual(new OidcLoginError('oidc-refused'));

    const slow = fakeTabs();
    await expect(loginThroughTab('https://baomi.corp.example', slow.tabs, 20)).rejects.toEqual(new OidcLoginError('oidc-timeout'));
    expect(slow.listeners()).toBe(0);
  });
});
