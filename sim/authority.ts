/**
 * A simulated Entra ID sign-in authority, answering at `login.microsoftonline.com` through the browser's
 * resolver rules: Entra's v2 endpoints (instance discovery, OpenID configuration, authorize with PKCE, token
 * with the authorization-code and refresh grants), the claims and `client_info` MSAL builds accounts from, and a
 * session cookie, so MSAL's AAD mode and the silent (`prompt=none`) renewal run for real.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { simulationTls, type TlsMaterial } from './tls';

export const DEMO_TENANT_ID = '4c1e5d7a-2b3f-4a6c-8d9e-0f1a2b3c4d5e';
export const DEMO_CLIENT_ID = '7d2c9a41-5e3b-4f68-9a0c-1b2d3e4f5a6b';
export const DEMO_USER = {
  oid: '9f8e7d6c-5b4a-4321-8fed-cba987654321',
  username: 'demo@contoso.onmicrosoft.com',
  name: 'Demo User',
};
const HOST = 'login.microsoftonline.com';
const SESSION_COOKIE = 'rdpnow-sim-session';

export interface AuthorityEvent {
  endpoint: 'authorize' | 'token' | 'discovery' | 'openid-configuration' | 'devicecode';
  prompt?: string | undefined;
  outcome: string;
}

export interface Authority {
  port: number;
  /** What happened, in order: which authorize requests were silent, which needed the sign-in page. */
  events: AuthorityEvent[];
  /** From now on, answer this client's sign-ins with an Entra error (e.g. AADSTS65001: consent refused). */
  refuse(clientId: string, error: string, description: string): void;
  /** A person entered this device code at the verification page and signed in. */
  approveDeviceCode(userCode: string): void;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  scope: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function readForm(req: import('node:http').IncomingMessage, then: (form: URLSearchParams) => void): void {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => then(new URLSearchParams(body)));
}

export async function startAuthority(options: { tls?: TlsMaterial; port?: number } = {}): Promise<Authority> {
  const tls = options.tls ?? (await simulationTls());
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, Omit<PendingCode, 'challenge' | 'redirectUri'>>();
  const sessions = new Set<string>();
  const events: AuthorityEvent[] = [];
  const refusals = new Map<string, { error: string; description: string }>();
  /** device_code → its user code, client, scope and whether a person has approved it yet. */
  const deviceCodes = new Map<
    string,
    { userCode: string; clientId: string; scope: string; approved: boolean }
  >();

  const jwt = (payload: object) => {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'sim' }));
    const body = b64url(JSON.stringify(payload));
    return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), privateKey))}`;
  };

  const tokens = (clientId: string, scope: string, nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      tid: DEMO_TENANT_ID,
      oid: DEMO_USER.oid,
      sub: DEMO_USER.oid,
      iat: now,
      nbf: now,
      exp: now + 3600,
    };
    const refresh = b64url(randomBytes(24));
    refreshTokens.set(refresh, { clientId, scope, nonce });
    return {
      token_type: 'Bearer',
      scope,
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: jwt({
        ...claims,
        aud: 'https://management.azure.com',
        iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
        scp: 'user_impersonation',
        upn: DEMO_USER.username,
      }),
      id_token: jwt({
        ...claims,
        aud: clientId,
        iss: `https://${HOST}/${DEMO_TENANT_ID}/v2.0`,
        ver: '2.0',
        // Only a request that sent a nonce gets one back (MSAL Node's loopback flow sends none).
        ...(nonce && { nonce }),
        name: DEMO_USER.name,
        preferred_username: DEMO_USER.username,
      }),
      refresh_token: refresh,
      client_info: b64url(JSON.stringify({ uid: DEMO_USER.oid, utid: DEMO_TENANT_ID })),
    };
  };

  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    const url = new URL(req.url ?? '/', `https://${HOST}`);
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST',
    };
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const tenant = parts[0] ?? 'common';
    if (url.pathname === '/common/discovery/instance') {
      events.push({ endpoint: 'discovery', outcome: 'ok' });
      json(200, {
        tenant_discovery_endpoint: `https://${HOST}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          {
            preferred_network: HOST,
            preferred_cache: 'login.windows.net',
            aliases: [HOST, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
          },
        ],
      });
      return;
    }
    if (url.pathname.endsWith('/v2.0/.well-known/openid-configuration')) {
      events.push({ endpoint: 'openid-configuration', outcome: 'ok' });
      json(200, {
        issuer: `https://${HOST}/${tenant === 'common' || tenant === 'organizations' ? '{tenantid}' : DEMO_TENANT_ID}/v2.0`,
        authorization_endpoint: `https://${HOST}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `https://${HOST}/${tenant}/oauth2/v2.0/token`,
        end_session_endpoint: `https://${HOST}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `https://${HOST}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        msgraph_host: 'graph.microsoft.com',
      });
      return;
    }
    if (parts[1] === 'oauth2' && parts[3] === 'authorize') {
      handleAuthorize(url, req.headers.cookie ?? '', req.method === 'POST', res);
      return;
    }
    if (parts[1] === 'oauth2' && parts[3] === 'devicecode' && req.method === 'POST') {
      readForm(req, (form) => {
        const userCode = randomBytes(5).toString('hex').slice(0, 9).toUpperCase();
        const deviceCode = b64url(randomBytes(24));
        const clientId = form.get('client_id') ?? '';
        deviceCodes.set(deviceCode, { userCode, clientId, scope: form.get('scope') ?? '', approved: false });
        events.push({ endpoint: 'devicecode', outcome: 'issued' });
        json(200, {
          device_code: deviceCode,
          user_code: userCode,
          verification_uri: 'https://microsoft.com/devicelogin',
          expires_in: 900,
          interval: 1,
          message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`,
        });
      });
      return;
    }
    if (parts[1] === 'oauth2' && parts[3] === 'token' && req.method === 'POST') {
      readForm(req, (form) => {
        const grant = form.get('grant_type');
        if (grant === 'authorization_code') {
          const pending = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (
            !pending ||
            pending.clientId !== form.get('client_id') ||
            pending.redirectUri !== form.get('redirect_uri') ||
            pending.challenge !== challenge
          ) {
            events.push({ endpoint: 'token', outcome: 'invalid_grant' });
            json(400, {
              error: 'invalid_grant',
              error_description: 'AADSTS70008: The provided authorization code or PKCE verifier is invalid.',
            });
            return;
          }
          events.push({ endpoint: 'token', outcome: 'code' });
          json(200, tokens(pending.clientId, pending.scope, pending.nonce));
          return;
        }
        // MSAL sends the short form; the RFC 8628 name is what other clients send.
        if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code') {
          const pending = deviceCodes.get(form.get('device_code') ?? '');
          if (!pending) {
            json(400, {
              error: 'expired_token',
              error_description: 'AADSTS70020: The device code has expired.',
            });
            return;
          }
          if (!pending.approved) {
            json(400, {
              error: 'authorization_pending',
              error_description: 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.',
            });
            return;
          }
          deviceCodes.delete(form.get('device_code') ?? '');
          events.push({ endpoint: 'token', outcome: 'device code' });
          json(200, tokens(pending.clientId, pending.scope, ''));
          return;
        }
        if (grant === 'refresh_token') {
          const known = refreshTokens.get(form.get('refresh_token') ?? '');
          if (!known) {
            json(400, {
              error: 'invalid_grant',
              error_description: 'AADSTS700082: The refresh token has expired.',
            });
            return;
          }
          events.push({ endpoint: 'token', outcome: 'refresh' });
          json(200, tokens(known.clientId, known.scope, known.nonce));
          return;
        }
        json(400, {
          error: 'unsupported_grant_type',
          error_description: 'AADSTS70003: unsupported grant type.',
        });
      });
      return;
    }
    json(404, { error: 'not_found', error_description: `No such endpoint: ${url.pathname}` });
  });

  function handleAuthorize(
    url: URL,
    cookies: string,
    signingIn: boolean,
    res: import('node:http').ServerResponse,
  ): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const prompt = q.get('prompt') ?? undefined;
    const state = q.get('state') ?? '';
    const back = (fields: Record<string, string>) => {
      const answer = { ...fields, state };
      if (q.get('response_mode') === 'form_post') {
        // As Entra does for public clients on a loopback redirect: a page that posts the answer there at once.
        const inputs = Object.entries(answer)
          .map(
            ([k, v]) =>
              `<input type="hidden" name="${k}" value="${v.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">`,
          )
          .join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working…</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${redirectUri.replace(/"/g, '&quot;')}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`);
        return;
      }
      const separator = q.get('response_mode') === 'query' ? '?' : '#';
      res.writeHead(302, {
        location: `${redirectUri}${separator}${new URLSearchParams(answer)}`,
        'cache-control': 'no-store',
      });
      res.end();
    };
    if (
      !q.get('client_id') ||
      !/^(https:\/\/[a-z0-9.-]+\/?|http:\/\/(localhost|127\.0\.0\.1):\d+\/?)/.test(redirectUri) ||
      q.get('code_challenge_method') !== 'S256'
    ) {
      events.push({ endpoint: 'authorize', prompt, outcome: 'bad_request' });
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('AADSTS900144: the request is missing client_id, a redirect URI or a PKCE S256 challenge.');
      return;
    }
    const session = /(?:^|;\s*)rdpnow-sim-session=([^;]+)/.exec(cookies)?.[1];
    const signedIn =
      signingIn ||
      (session !== undefined && sessions.has(session) && prompt !== 'login' && prompt !== 'select_account');
    const refusal = refusals.get(q.get('client_id') ?? '');
    if (refusal && signedIn) {
      events.push({ endpoint: 'authorize', prompt, outcome: refusal.error });
      back({ error: refusal.error, error_description: refusal.description });
      return;
    }
    if (!signedIn) {
      if (prompt === 'none') {
        events.push({ endpoint: 'authorize', prompt, outcome: 'login_required' });
        back({
          error: 'login_required',
          error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
        });
        return;
      }
      events.push({ endpoint: 'authorize', prompt, outcome: 'sign-in page' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body style="font:15px system-ui;margin:3em"><h1>Sign in (simulated Entra ID)</h1>
<form method="post" action="${url.pathname}${url.search.replace(/"/g, '&quot;')}">
<p>Continue as <b>${DEMO_USER.username}</b>.</p><button type="submit" id="sign-in">Sign in</button></form></body></html>`);
      return;
    }
    const code = b64url(randomBytes(24));
    codes.set(code, {
      clientId: q.get('client_id') ?? '',
      redirectUri,
      challenge: q.get('code_challenge') ?? '',
      nonce: q.get('nonce') ?? '',
      scope: q.get('scope') ?? '',
    });
    const id = session && sessions.has(session) ? session : randomUUID();
    sessions.add(id);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; Secure; HttpOnly; SameSite=None`);
    events.push({ endpoint: 'authorize', prompt, outcome: signingIn ? 'signed in' : 'silent' });
    back({
      code,
      client_info: b64url(JSON.stringify({ uid: DEMO_USER.oid, utid: DEMO_TENANT_ID })),
      session_state: randomUUID(),
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    events,
    refuse: (clientId, error, description) => {
      refusals.set(clientId, { error, description });
    },
    approveDeviceCode: (userCode) => {
      for (const pending of deviceCodes.values()) if (pending.userCode === userCode) pending.approved = true;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
