// oidc-provider (panva) ships no types. Only the e2e tests use it (a real OpenID provider in the
// test: tests/e2e/identity-oidc.e2e.ts); this declares the part they call.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderAccount {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface ProviderConfiguration {
    clients?: Record<string, unknown>[];
    findAccount?: (ctx: unknown, id: string) => Promise<ProviderAccount | undefined> | ProviderAccount | undefined;
    claims?: Record<string, string[]>;
    features?: Record<string, unknown>;
    cookies?: Record<string, unknown>;
    pkce?: Record<string, unknown>;
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
