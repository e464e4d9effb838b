/**
 * Logins through the company's identity provider (issue 27), one callback for both uses:
 * - `GET /oidc/enroll?challenge=…`: the extension opened this in a tab with the SHA-256 of a
 *   secret only it holds; after the login the tab ends on `/oidc/done#ticket=…`, which the
 *   extension reads from its own tab and redeems once at `POST /api/v1/enroll` with the secret.
 *   A link to this URL sent to someone else ends in *their* tab: the sender's extension never
 *   sees the ticket, and without the secret the ticket is worth nothing.
 * - `GET /oidc/console`: console SSO; a cookie ties the callback to the browser that started it
 *   (no login CSRF), and the directory groups give the role (server/lib/identity.ts).
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context';
import { recordAudit } from '../db/repositories/audit';
import { createOidcLogin, issueEnrollTicket, takeOidcLogin } from '../db/repositories/oidc-logins';
import { createSession, upsertSsoUser } from '../db/repositories/users';
import { SESSION_COOKIE } from '../lib/admin-auth';
import { claimsToPerson, roleForGroups } from '../lib/identity';
import { readIdentitySettings } from '../lib/identity-settings';
import type { OidcClient } from '../lib/oidc-client';
import { looksLikePhoneNumber } from '../lib/raw-number';
import { randomToken, sha256Hex } from '../lib/secrets';
import { validate } from '../lib/validate';
import { secureCookies } from './admin/session';
import type { Role } from '../../utils/api/permissions';

const SSO_COOKIE = 'baomi_sso';
const challengeQuery = z.object({ challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export function base64urlSha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The registered callback: BAOMI_OIDC_REDIRECT_URL / BAOMI_PUBLIC_URL, else this request's own origin. */
function redirectUriFor(c: Context<AppEnv>, deps: AppDeps): string {
  return deps.config.oidc?.redirectUrl ?? new URL('/oidc/callback', c.req.url).href;
}

/**
 * The page an enrollment login ends on. The extension reads the ticket from the fragment (never
 * sent to any server, so never in an access log) and closes the tab; without script (the CSP
 * allows none inline) it only says what is happening, in both languages.
 */
const DONE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>保密卫士 · Baomi Guard</title></head>
<body>
<h1>保密卫士 · Baomi Guard</h1>
<p data-testid="oidc-done">登录已完成，扩展正在完成注册，此页会自动关闭。如果没有关闭，请回到扩展的注册设置页查看结果。</p>
<p lang="en">Signed in. The extension is finishing the enrollment and closes this page; if it stays open, see the result on the extension's enrollment page.</p>
</body></html>`;

export function oidcRoutes(deps: AppDeps, client: OidcClient | null) {
  const failEnroll = (c: Context<AppEnv>, code: string) => c.redirect(`/oidc/done#error=${code}`, 303);
  const failConsole = (c: Context<AppEnv>, code: string) => c.redirect(`/admin/?sso-error=${code}#/`, 303);

  async function begin(c: Context<AppEnv>, purpose: 'enroll' | 'console', deviceChallenge: string) {
    if (!client) return purpose === 'enroll' ? failEnroll(c, 'oidc-not-configured') : failConsole(c, 'oidc-not-configured');
    const redirectUri = redirectUriFor(c, deps);
    let start;
    try {
      start = await client.start(redirectUri);
    } catch (error) {
      console.error('OIDC discovery failed:', error instanceof Error ? error.message : error);
      return purpose === 'enroll' ? failEnroll(c, 'oidc-unavailable') : failConsole(c, 'oidc-unavailable');
    }
    await createOidcLogin(deps.db, {
      stateHash: sha256Hex(start.state),
      purpose,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      redirectUri,
      deviceChallenge,
      now: deps.clock(),
    });
    return c.redirect(start.url, 302);
  }

  return new Hono<AppEnv>()
    .get('/enroll', validate('query', challengeQuery), (c) => begin(c, 'enroll', c.req.valid('query').challenge))
    .get('/console', (c) => {
      const browserSecret = randomToken(32);
      // Lax: the provider's redirect back is a top-level GET from another site.
      setCookie(c, SSO_COOKIE, browserSecret, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/oidc',
        maxAge: 600,
        secure: secureCookies(c, deps),
      });
      return begin(c, 'console', base64urlSha256(browserSecret));
    })
    .get('/done', (c) => c.html(DONE_PAGE))
    .get('/callback', async (c) => {
      const query = new URL(c.req.url).searchParams;
      const now = deps.clock();
      const login = await takeOidcLogin(deps.db, sha256Hex(query.get('state') ?? ''), now);
      if (!login || !client) return failConsole(c, 'sso-expired');
      const fail = (code: string) => (login.purpose === 'enroll' ? failEnroll(c, code) : failConsole(c, code));
      if (query.get('error')) return fail('oidc-refused');
      let claims: Record<string, unknown>;
      try {
        claims = await client.finish(query, {
          state: query.get('state') ?? '',
          nonce: login.nonce,
          codeVerifier: login.code_verifier,
          redirectUri: login.redirect_uri,
        });
      } catch (error) {
        console.error('OIDC login failed:', error instanceof Error ? error.message : error);
        return fail('oidc-failed');
      }
      const person = claimsToPerson(claims, deps.config.oidc!.claims);
      if (!person) return fail('oidc-failed');
      // Identity fields reach events and reports: a phone number there would be refused later.
      if ([person.userId, person.department, person.displayName].some((v) => v && looksLikePhoneNumber(v)))
        return fail('oidc-identity-number');

      if (login.purpose === 'enroll') {
        const ticket = randomToken(32);
        const { groups: _groups, ...kept } = person;
        await issueEnrollTicket(deps.db, login.state_hash, sha256Hex(ticket), JSON.stringify(kept), now);
        return c.redirect(`/oidc/done#ticket=${ticket}`, 303);
      }

      const browserSecret = getCookie(c, SSO_COOKIE);
      deleteCookie(c, SSO_COOKIE, { path: '/oidc' });
      if (!browserSecret || base64urlSha256(browserSecret) !== login.device_challenge) return failConsole(c, 'sso-expired');
      const role = roleForGroups(person.groups, (await readIdentitySettings(deps.db)).groupRoles);
      if (!role) {
        await recordAudit(deps.db, { actor: person.userId.slice(0, 100), action: 'sso-no-role', now });
        return failConsole(c, 'sso-no-role');
      }
      const user = await upsertSsoUser(deps.db, {
        subject: person.subject,
        username: person.userId,
        displayName: person.displayName ?? person.userId,
        role: role as Role,
        now,
      });
      if (user.disabledAt) {
        await recordAudit(deps.db, { actor: user.username, action: 'login-disabled', now });
        return failConsole(c, 'account-disabled');
      }
      const sessionId = randomToken(32);
      const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000);
      await createSession(deps.db, { idHash: sha256Hex(sessionId), userId: user.id, csrfToken: randomToken(24), now, expiresAt });
      await recordAudit(deps.db, { actor: user.username, action: 'login-sso', detail: { role }, now });
      setCookie(c, SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: deps.config.sessionHours * 3600,
        secure: secureCookies(c, deps),
      });
      return c.redirect('/admin/#/', 303);
    });
}
