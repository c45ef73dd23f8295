/**
 * One ARM client for every read and write, on the Azure SDK's pipeline (bearer token for the cloud's scope,
 * retries, 429 Retry-After) from `@azure/arm-compute`'s modular context. Requests go by path because the
 * modular package exposes no operations (its classic client costs 530 KB in an extension; see the README).
 */
import { createComputeManagement } from '@azure/arm-compute/api';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpPoller } from '@azure/core-lro';
import type { Client, HttpResponse } from '@azure-rest/core-client';
import type { ArmErrorKind } from './arm-error-kinds';
import type { Cloud } from './clouds';

export const API = {
  compute: '2024-07-01',
  network: '2024-05-01',
  security: '2020-01-01',
} as const;

/** Every failure of an ARM call, with what a person needs to act on it. */
export class ArmError extends Error {
  constructor(
    readonly kind: ArmErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    /** For `forbidden`: the action (permission) ARM named, e.g. `Microsoft.Network/networkSecurityGroups/read`. */
    readonly permission: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ArmError';
  }
}

export interface ArmOptions {
  credential: TokenCredential;
  cloud: Cloud;
  /** Overrides the cloud's ARM endpoint (a private endpoint, or the simulated Azure); the scope stays the cloud's. */
  endpoint?: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  /** Interval between polls of a long-running operation when ARM does not say (Retry-After). */
  pollIntervalMs?: number;
}

export interface PollOptions {
  onProgress?: (status: string) => void;
  abortSignal?: AbortSignal;
}

export interface Arm {
  get(path: string, apiVersion: string, query?: Record<string, string>): Promise<unknown>;
  /** Every item of a list, following `nextLink`. */
  list(path: string, apiVersion: string): Promise<unknown[]>;
  /** A write that may be long-running (201/202 + Azure-AsyncOperation/Location): resolves when it is done. */
  send(
    method: 'PUT' | 'POST' | 'DELETE',
    path: string,
    apiVersion: string,
    body?: unknown,
    poll?: PollOptions,
  ): Promise<unknown>;
}

export const RESOURCE_GRAPH_PATH = '/providers/Microsoft.ResourceGraph/resources';
/** Tenant-wide operations this code itself sends (never an id read from an answer). */
const TENANT_PATHS: ReadonlySet<string> = new Set([RESOURCE_GRAPH_PATH]);

/**
 * A request path built from a resource id: `/subscriptions/…`, plain segments only. An id that is an absolute
 * URL (`https://other.example/…`), names another host (`//other.example/…`), climbs (`..`) or carries a query,
 * fragment, escape or backslash is refused, so that no request — and no bearer token — leaves the ARM origin.
 */
export function armPath(id: string): string {
  if (TENANT_PATHS.has(id)) return id;
  const segments = id.split('/');
  const valid =
    id.length <= 2048 &&
    segments[0] === '' &&
    segments[1]?.toLowerCase() === 'subscriptions' &&
    segments.slice(1).every((s) => /^[^?#%\\\s\p{Cc}]+$/u.test(s) && s !== '.' && s !== '..');
  if (!valid) {
    const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
    throw malformed(
      `a resource id that is not an ARM path (${JSON.stringify(shown)}), so no request was made for it`,
    );
  }
  return id;
}

export function createArm(options: ArmOptions): Arm {
  const endpoint = options.endpoint ?? options.cloud.armEndpoint;
  const origin = new URL(endpoint).origin;
  /** A link ARM handed out (next page, operation status): followed only on the client's own origin. */
  const sameOrigin = (link: string, what: string): string => {
    let target: string | null = null;
    try {
      target = new URL(link, endpoint).origin;
    } catch {
      // An unparsable link is refused below, like a foreign one.
    }
    // The bearer token goes with every request: it must never reach another host.
    if (target !== origin) throw malformed(`${what} to another host than ${origin}, so it was not followed`);
    return link;
  };
  // The subscription argument only feeds the SDK's own operations, which are not used: paths carry it.
  const client: Client = createComputeManagement(options.credential, '', {
    endpoint,
    credentials: { scopes: [options.cloud.scope] },
    retryOptions: {
      maxRetries: options.maxRetries ?? 3,
      retryDelayInMs: options.retryDelayMs ?? 800,
      maxRetryDelayInMs: 30_000,
    },
  });
  const timeout = options.timeoutMs ?? 30_000;
  const call = async (
    run: () => PromiseLike<HttpResponse>,
    expected: readonly number[],
  ): Promise<HttpResponse> => {
    let response: HttpResponse;
    try {
      response = await run();
    } catch (error) {
      // The transport's own failures; anything else (e.g. the credential's sign-in error) passes unchanged.
      const name = (error as { name?: string } | null)?.name;
      if (name === 'RestError' || name === 'AbortError' || name === 'TypeError') throw transportError(error);
      throw error;
    }
    if (!expected.includes(Number(response.status))) throw responseError(response);
    return response;
  };

  const get = async (path: string, apiVersion: string, query: Record<string, string> = {}) => {
    const response = await call(
      () =>
        client
          .pathUnchecked(armPath(path))
          .get({ queryParameters: { 'api-version': apiVersion, ...query }, timeout }),
      [200],
    );
    return jsonBody(response);
  };

  return {
    get,
    async list(path, apiVersion) {
      const items: unknown[] = [];
      let page = await get(path, apiVersion);
      for (;;) {
        const { value, nextLink } = (page ?? {}) as { value?: unknown; nextLink?: unknown };
        if (!Array.isArray(value)) throw malformed('a list without "value"');
        items.push(...value);
        if (typeof nextLink !== 'string' || nextLink === '') return items;
        // nextLink is absolute and already carries api-version and the skip token.
        const link = sameOrigin(nextLink, 'a next-page link');
        const next = await call(() => client.pathUnchecked(link).get({ timeout }), [200]);
        page = jsonBody(next);
      }
    },
    async send(method, path, apiVersion, body, poll = {}) {
      const request = { queryParameters: { 'api-version': apiVersion }, body, timeout };
      const toLro = (response: HttpResponse) => ({
        flatResponse: response,
        rawResponse: {
          statusCode: Number(response.status),
          headers: Object.fromEntries(Object.entries(response.headers)),
          body: response.body,
          request: { url: response.request.url, method: response.request.method },
        },
      });
      const expected = [200, 201, 202, 204];
      // What our own requests threw (an ArmError, or e.g. the credential's sign-in error) reaches the caller
      // unchanged; only the poller's own verdicts (the operation failed or was canceled) are put in words here.
      const ours = new Set<unknown>();
      const own = async <T>(step: () => Promise<T>): Promise<T> => {
        try {
          return await step();
        } catch (error) {
          ours.add(error);
          throw error;
        }
      };
      const poller = createHttpPoller(
        {
          sendInitialRequest: () =>
            own(async () => {
              const resource = client.pathUnchecked(armPath(path));
              const run =
                method === 'PUT'
                  ? () => resource.put(request)
                  : method === 'POST'
                    ? () => resource.post(request)
                    : () => resource.delete(request);
              return toLro(await call(run, expected));
            }),
          sendPollRequest: (pollPath: string) =>
            own(async () => {
              const link = sameOrigin(pollPath, 'an operation status link');
              const response = await call(() => client.pathUnchecked(link).get({ timeout }), expected);
              const status = (response.body as { status?: unknown } | undefined)?.status;
              if (typeof status === 'string') poll.onProgress?.(status);
              return toLro(response);
            }),
        },
        {
          intervalInMs: options.pollIntervalMs ?? 2000,
          resourceLocationConfig: method === 'POST' ? 'location' : 'azure-async-operation',
        },
      );
      try {
        return await poller.pollUntilDone(poll.abortSignal ? { abortSignal: poll.abortSignal } : {});
      } catch (error) {
        if (error instanceof ArmError || ours.has(error)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new ArmError('server', `The operation did not complete: ${reason}`);
      }
    },
  };
}

function jsonBody(response: HttpResponse): unknown {
  const body = response.body;
  if (typeof body === 'string') throw malformed('a body that is not JSON');
  return body;
}

function malformed(what: string): ArmError {
  return new ArmError('malformed', `Azure answered with ${what}.`, null, 'MalformedResponse');
}

function transportError(error: unknown): ArmError {
  const e = error as { name?: string; code?: string; message?: string };
  if (e.code === 'PARSE_ERROR') return malformed('a body that is not JSON');
  if (e.name === 'AbortError' || /timed? ?out/i.test(e.message ?? '')) {
    return new ArmError('timeout', 'Azure did not answer in time.', null, 'Timeout');
  }
  return new ArmError(
    'unreachable',
    `Azure could not be reached (${e.message ?? String(error)}).`,
    null,
    e.code ?? null,
  );
}

/** ARM's error body: `{"error": {"code", "message"}}`. */
function responseError(response: HttpResponse): ArmError {
  const status = Number(response.status);
  const body = response.body as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof body?.error?.code === 'string' ? body.error.code : null;
  const detail = typeof body?.error?.message === 'string' ? body.error.message : '';
  const retryAfter = Number(response.headers['retry-after']);
  const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : null;
  if (status === 401) {
    return new ArmError(
      'unauthenticated',
      `Azure refused the sign-in (${code ?? status}): sign in again.`,
      status,
      code,
    );
  }
  if (status === 403) {
    const permission = /action '([^']+)'/.exec(detail)?.[1] ?? null;
    const what = permission ? `the permission ${permission}` : 'a permission';
    return new ArmError('forbidden', `You lack ${what}.`, status, code, permission);
  }
  if (status === 404)
    return new ArmError('not-found', 'It does not exist (or is not visible to you).', status, code);
  if (status === 409)
    return new ArmError('conflict', `Azure refused it as conflicting (${code ?? status}).`, status, code);
  if (status === 429) {
    const wait = retryAfterSeconds !== null ? ` for ${retryAfterSeconds} s` : '';
    return new ArmError(
      'throttled',
      `Azure is throttling requests; wait${wait} and try again.`,
      status,
      code,
      null,
      retryAfterSeconds,
    );
  }
  if (status >= 500)
    return new ArmError('server', `Azure failed with ${status}; try again later.`, status, code);
  return new ArmError(
    'bad-request',
    `Azure refused the request (${code ?? status}): ${detail}`.trim(),
    status,
    code,
  );
}
