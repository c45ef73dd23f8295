/**
 * shared/azure/arm.ts over real HTTPS against a scripted server: the links ARM hands out (next pages, operation
 * status) are followed only on the client's own origin, so the bearer token never reaches another host; and what
 * the client's own requests threw (e.g. the credential's sign-in error) reaches the caller unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmError, createArm } from '../../shared/azure/arm';
import { CLOUDS } from '../../shared/azure/clouds';
import { testTls } from '../support/test-azure';

interface Seen {
  method: string;
  host: string;
  path: string;
  authorization: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: https.Server;
let port: number;
/** The origin the client is made for; `https://localhost:<port>` reaches the same server as another origin. */
let endpoint: string;
let foreign: string;
let handler: Handler;
const seen: Seen[] = [];

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  const tls = testTls();
  server = https.createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    seen.push({
      method: req.method ?? '',
      host: req.headers.host ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  endpoint = `https://127.0.0.1:${port}`;
  foreign = `https://localhost:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  handler = (_req, res) => json(res, 404, { error: { code: 'NotFound', message: 'no route' } });
});

/** Requests start from resource ids, so their paths are ARM paths (armPath). */
const S = '/subscriptions/00000000-0000-0000-0000-000000000001';

const token = {
  getToken: async () => ({ token: 'secret-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const arm = (credential = token) =>
  createArm({
    credential,
    cloud: CLOUDS.AzureCloud,
    endpoint,
    maxRetries: 0,
    retryDelayMs: 1,
    pollIntervalMs: 1,
  });

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('links to another host are never followed', () => {
  it('list: a nextLink on the same origin is followed', async () => {
    handler = (req, res) => {
      if (req.url?.startsWith(`${S}/items?`))
        json(res, 200, { value: [1, 2], nextLink: `${endpoint}/page2?x=1` });
      else json(res, 200, { value: [3] });
    };
    expect(await arm().list(`${S}/items`, '2024-01-01')).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.path)).toEqual([`${S}/items?api-version=2024-01-01`, '/page2?x=1']);
  });

  it.each([
    ['another host', () => `${foreign}/page2`],
    ['another port', () => `https://127.0.0.1:${port + 1}/page2`],
    ['plain http', () => `http://127.0.0.1:${port}/page2`],
    ['a scheme-relative link', () => `//localhost:${port}/page2`],
  ])('list: a nextLink to %s is refused as malformed', async (_, link) => {
    handler = (_req, res) => json(res, 200, { value: [1], nextLink: link() });
    const error = await refusal(arm().list(`${S}/items`, '2024-01-01'));
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/another host/) });
    expect((error as Error).message).toContain(endpoint);
    expect(seen).toHaveLength(1);
  });

  it('send: an Azure-AsyncOperation link to another host is refused; the token stays home', async () => {
    handler = (req, res) => {
      if (req.method === 'PUT')
        json(res, 201, {}, { 'azure-asyncoperation': `${foreign}/operations/1?api-version=1` });
      else json(res, 200, { status: 'Succeeded' });
    };
    const error = await refusal(arm().send('PUT', `${S}/things/a`, '2024-01-01', { properties: {} }));
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toMatchObject({ kind: 'malformed' });
    expect(seen.map((s) => s.method)).toEqual(['PUT']);
    expect(seen.every((s) => s.host === `127.0.0.1:${port}`)).toBe(true);
  });

  it('send: a Location link to another host is refused (POST)', async () => {
    handler = (req, res) => {
      if (req.method === 'POST') json(res, 202, {}, { location: `${foreign}/operations/2` });
      else json(res, 200, {});
    };
    const error = await refusal(arm().send('POST', `${S}/things/a/start`, '2024-01-01'));
    expect(error).toMatchObject({ kind: 'malformed' });
    expect(seen.filter((s) => s.host !== `127.0.0.1:${port}`)).toEqual([]);
  });

  it('send: operation links on the same origin are followed until done', async () => {
    const progress: string[] = [];
    let polls = 0;
    handler = (req, res) => {
      if (req.method === 'POST') json(res, 202, {}, { location: `${endpoint}/operations/3` });
      else if (++polls < 2)
        json(res, 202, { status: 'InProgress' }, { location: `${endpoint}/operations/3` });
      else json(res, 200, { status: 'Succeeded' });
    };
    await arm().send('POST', `${S}/things/a/start`, '2024-01-01', undefined, {
      onProgress: (s) => progress.push(s),
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `POST ${S}/things/a/start?api-version=2024-01-01`,
      'GET /operations/3',
      'GET /operations/3',
    ]);
    expect(seen.every((s) => s.authorization === 'Bearer secret-token')).toBe(true);
    expect(progress).toEqual(['InProgress', 'Succeeded']);
  });
});

describe('errors of a long-running operation', () => {
  class AdviceLikeError extends Error {
    override name = 'AdviceError';
  }

  it("the credential's own error reaches the caller unchanged, not as an ArmError", async () => {
    const signIn = new AdviceLikeError('Sign in to the tenant contoso.example first.');
    const refusing = {
      getToken: async (): Promise<never> => {
        throw signIn;
      },
    };
    expect(await refusal(arm(refusing).send('POST', `${S}/things/a/start`, '2024-01-01'))).toBe(signIn);
    expect(await refusal(arm(refusing).send('DELETE', `${S}/things/a`, '2024-01-01'))).toBe(signIn);
    expect(seen).toEqual([]);
  });

  it("the credential's error while polling also passes unchanged", async () => {
    const expired = new AdviceLikeError('The session expired: sign in again.');
    let calls = 0;
    const once = {
      getToken: async () => {
        if (++calls > 1) throw expired;
        // Already due for renewal, so the next request asks again.
        return { token: 'secret-token', expiresOnTimestamp: Date.now() - 1 };
      },
    };
    handler = (req, res) => {
      if (req.method === 'POST') json(res, 202, {}, { location: `${endpoint}/operations/4` });
      else json(res, 200, { status: 'Succeeded' });
    };
    expect(await refusal(arm(once).send('POST', `${S}/things/a/start`, '2024-01-01'))).toBe(expired);
  });

  it("an ARM error keeps its kind, and the poller's own verdict (the operation failed) becomes an ArmError", async () => {
    handler = (_req, res) =>
      json(res, 403, {
        error: {
          code: 'AuthorizationFailed',
          message: "does not have authorization to perform action 'x/start/action'",
        },
      });
    expect(await refusal(arm().send('POST', `${S}/things/a/start`, '2024-01-01'))).toMatchObject({
      kind: 'forbidden',
      permission: 'x/start/action',
    });

    handler = (req, res) => {
      if (req.method === 'PUT') json(res, 201, {}, { 'azure-asyncoperation': `${endpoint}/operations/5` });
      else json(res, 200, { status: 'Failed', error: { code: 'Boom', message: 'it broke' } });
    };
    const failed = await refusal(arm().send('PUT', `${S}/things/a`, '2024-01-01', {}));
    expect(failed).toBeInstanceOf(ArmError);
    expect(failed).toMatchObject({ kind: 'server', message: expect.stringMatching(/did not complete/) });
  });
});
