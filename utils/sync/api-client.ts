/**
 * Typed client of the server's device API (/api/v1). Every response is zod-parsed:
 * the server is trusted for nothing its signature does not cover.
 */
import type { z } from 'zod';
import {
  API_PREFIX,
  apiErrorSchema,
  enrollResponseSchema,
  eventsResponseSchema,
  heartbeatResponseSchema,
  overrideStatusSchema,
  policyResponseSchema,
  type EnrollRequest,
  type EnrollResponse,
  type EventsResponse,
  type OverrideRequest,
  type OverrideStatus,
} from '../api/device-api';
import type { ViolationEvent } from '../events/schema';
import { incidentReceiptSchema, type IncidentReceipt, type IncidentReport } from '../api/incident-api';

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiRequestError';
  }

  /** Worth retrying later (network down, server overloaded or failing). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface ApiClientOptions {
  serverUrl: string;
  deviceToken?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createApiClient(options: ApiClientOptions) {
  const base = options.serverUrl.replace(/\/+$/, '') + API_PREFIX;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T extends z.ZodTypeAny>(
    path: string,
    schema: T,
    init: RequestInit & { notModifiedOk?: boolean } = {},
  ): Promise<{ status: number; body: z.infer<T> | null; headers: Headers }> {
    const headers = new Headers(init.headers);
    if (options.deviceToken) headers.set('Authorization', `Bearer ${options.deviceToken}`);
    if (init.body) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await doFetch(base + path, {
        ...init,
        headers,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiRequestError(`server unreachable: ${(error as Error).message}`, 0, 'network', { cause: error });
    }
    if (response.status === 304 && init.notModifiedOk) return { status: 304, body: null, headers: response.headers };
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = apiErrorSchema.safeParse(data);
      const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
      const code = parsed.success ? parsed.data.error.code : 'http_error';
      throw new ApiRequestError(message, response.status, code);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ApiRequestError(`unexpected response from ${path}`, response.status, 'bad_response');
    return { status: response.status, body: parsed.data, headers: response.headers };
  }

  return {
    async enroll(body: EnrollRequest): Promise<EnrollResponse> {
      const { body: result } = await request('/enroll', enrollResponseSchema, { method: 'POST', body: JSON.stringify(body) });
      return result!;
    },
    /** null when the server answered 304 Not Modified. */
    async fetchPolicy(etag: string | null): Promise<{ signed: unknown; etag: string | null } | null> {
      const headers: Record<string, string> = etag ? { 'If-None-Match': etag } : {};
      const result = await request('/policy', policyResponseSchema, { headers, notModifiedOk: true });
      if (result.status === 304) return null;
      return { signed: result.body!.signed, etag: result.headers.get('ETag') };
    },
    async postEvents(events: ViolationEvent[]): Promise<EventsResponse> {
      const { body } = await request('/events', eventsResponseSchema, { method: 'POST', body: JSON.stringify({ events }) });
      return body!;
    },
    async requestOverride(body: OverrideRequest): Promise<OverrideStatus> {
      const { body: result } = await request('/overrides', overrideStatusSchema, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return result!;
    },
    async getOverride(id: string): Promise<OverrideStatus> {
      const { body } = await request(`/overrides/${encodeURIComponent(id)}`, overrideStatusSchema);
      return body!;
    },
    async reportIncident(body: IncidentReport): Promise<IncidentReceipt> {
      const { body: result } = await request('/incidents', incidentReceiptSchema, { method: 'POST', body: JSON.stringify(body) });
      return result!;
    },
    async heartbeat(body: { extensionVersion: string; policyVersion: number; queueDepth: number; userId?: string; browser?: string }) {
      const { body: result } = await request('/heartbeat', heartbeatResponseSchema, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return result!;
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
