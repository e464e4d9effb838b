/**
 * Enrollment through the company's identity provider, from the options page (issue 27).
 *
 * Why a tab and not `identity.launchWebAuthFlow`: the server is the OIDC client, so the
 * provider's redirect goes to the server, never to the extension; launchWebAuthFlow would
 * need the extension's own redirect URL (`*.chromiumapp.org` in Chrome, `*.extensions.allizom.org`
 * in Firefox — two more URLs per browser for the admin to allow) and the `identity`
 * permission, and its window is one Puppeteer cannot drive. A tab works the same in both
 * browsers with what the extension already holds (`tabs` events carry the URL of a page it has
 * host access to): the options page opens the server's start URL in a tab, waits until that tab
 * reaches `/oidc/done#ticket=…`, reads the ticket from the fragment and closes the tab.
 *
 * The login is started with the SHA-256 of a secret made here; the ticket is redeemed with the
 * secret. Run in the options page, not the service worker: a login can take minutes, longer
 * than an idle worker lives.
 */
import { bytesToBase64Url } from '../crypto/base64';

export interface LoginTabs {
  create(options: { url: string; active: boolean }): Promise<{ id?: number }>;
  remove(tabId: number): Promise<void>;
  onUpdated: {
    addListener(listener: (tabId: number, change: { url?: string }) => void): void;
    removeListener(listener: (tabId: number, change: { url?: string }) => void): void;
  };
  onRemoved: {
    addListener(listener: (tabId: number) => void): void;
    removeListener(listener: (tabId: number) => void): void;
  };
}

export interface OidcLoginResult {
  ticket: string;
  verifier: string;
}

/** Its message is a code the options page words (`options_error_oidc_*`). */
export class OidcLoginError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'OidcLoginError';
  }
}

export const OIDC_LOGIN_TIMEOUT_MS = 10 * 60_000;

async function sha256Base64Url(text: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/**
 * What the done page's fragment says: a ticket, an error code, or nothing yet. The page is
 * recognised by its path on any origin: the provider sends the tab to the server's registered
 * callback (BAOMI_PUBLIC_URL, or the address a reverse proxy forwards to), which need not be
 * the address typed on the options page. That is safe: a ticket is worth something only with
 * the secret that started this login, which never leaves this page.
 */
export function readDoneFragment(url: string): { ticket: string } | { error: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(parsed.protocol) || parsed.pathname !== '/oidc/done' || parsed.hash.length < 2) return null;
  const params = new URLSearchParams(parsed.hash.slice(1));
  const ticket = params.get('ticket');
  if (ticket && /^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return { ticket };
  const error = params.get('error');
  return { error: error && /^[a-z-]{1,40}$/.test(error) ? error : 'oidc-failed' };
}

export async function loginThroughTab(serverOrigin: string, tabs: LoginTabs, timeoutMs = OIDC_LOGIN_TIMEOUT_MS): Promise<OidcLoginResult> {
  const secret = new Uint8Array(32);
  crypto.getRandomValues(secret);
  const verifier = bytesToBase64Url(secret);
  const start = `${serverOrigin}/oidc/enroll?challenge=${await sha256Base64Url(verifier)}`;
  const tab = await tabs.create({ url: start, active: true });
  if (tab.id === undefined) throw new OidcLoginError('oidc-failed');
  const tabId = tab.id;
  return new Promise<OidcLoginResult>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      tabs.onUpdated.removeListener(onUpdated);
      tabs.onRemoved.removeListener(onRemoved);
      outcome();
    };
    const onUpdated = (updatedId: number, change: { url?: string }) => {
      if (updatedId !== tabId || !change.url) return;
      const done = readDoneFragment(change.url);
      if (!done) return;
      void tabs.remove(tabId).catch(() => undefined);
      finish(() => ('ticket' in done ? resolve({ ticket: done.ticket, verifier }) : reject(new OidcLoginError(done.error))));
    };
    const onRemoved = (removedId: number) => {
      if (removedId === tabId) finish(() => reject(new OidcLoginError('oidc-cancelled')));
    };
    const timer = setTimeout(() => finish(() => reject(new OidcLoginError('oidc-timeout'))), timeoutMs);
    tabs.onUpdated.addListener(onUpdated);
    tabs.onRemoved.addListener(onRemoved);
  });
}
