/**
 * The server as an OpenID Connect relying party: authorization code flow with PKCE, through
 * `openid-client` (panva; certified by the OpenID Foundation, kept up with the specs, no
 * dependencies beyond `oauth4webapi` and `jose`). It does discovery, the ID token's signature,
 * issuer, audience, nonce and expiry checks, the `iss` response parameter (RFC 9207) and PKCE —
 * each of which a hand-written client gets wrong sooner or later.
 */
import * as oidc from 'openid-client';
import type { OidcConfig } from '../config';

export interface LoginStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface OidcClient {
  readonly issuer: string;
  start(redirectUri: string): Promise<LoginStart>;
  /** The ID token's claims merged with the userinfo endpoint's (when the provider has one). */
  finish(callbackQuery: URLSearchParams, checks: LoginChecks): Promise<Record<string, unknown>>;
}

/** Plain http only for a provider on this machine (tests, a loopback proxy); anything else must be https. */
function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

export function createOidcClient(settings: OidcConfig): OidcClient {
  const issuerUrl = new URL(settings.issuer);
  let discovered: Promise<oidc.Configuration> | null = null;
  // Discovery once, again after a failure (the provider was down when the first login came).
  function configuration(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(
        issuerUrl,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        { execute: issuerUrl.protocol === 'http:' && isLoopback(issuerUrl) ? [oidc.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((error: unknown) => {
        discovered = null;
        throw error;
      });
    return discovered;
  }
  return {
    issuer: settings.issuer,
    async start(redirectUri) {
      const config = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async finish(callbackQuery, checks) {
      const config = await configuration();
      // The library takes the redirect_uri from the URL it is given: the registered one, not
      // whatever address a reverse proxy forwarded to.
      const current = new URL(checks.redirectUri);
      current.search = callbackQuery.toString();
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims() as Record<string, unknown> | undefined;
      if (!idClaims) throw new Error('no ID token');
      if (!config.serverMetadata().userinfo_endpoint) return { ...idClaims };
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, String(idClaims.sub));
      // The ID token is signed: its claims win where both say something.
      return { ...(userinfo as Record<string, unknown>), ...idClaims };
    },
  };
}
