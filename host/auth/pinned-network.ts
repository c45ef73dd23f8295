/**
 * MSAL's network for the simulated Azure: each sign-in host name is connected to a fixed local address and its
 * certificate checked against the simulation's CA, while URLs, TLS server names and Host headers stay the real
 * ones — as the browser reaches the same simulation through its resolver rules. Set only by the host's own config
 * file (written by `npm start` and the tests), never by a message.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface PinnedHosts {
  /** Host name → `127.0.0.1:<port>`. */
  hosts: Readonly<Record<string, string>>;
  caFile: string;
}

export function pinnedNetwork(pinned: PinnedHosts): INetworkModule {
  const ca = readFileSync(pinned.caFile, 'utf8');
  const send = <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const target = new URL(url);
      const address = pinned.hosts[target.hostname];
      if (!address) {
        reject(new Error(`getaddrinfo ENOTFOUND ${target.hostname} (not part of the simulation)`));
        return;
      }
      const [host = '127.0.0.1', port = '443'] = address.split(':');
      const req = https.request(
        {
          method,
          host,
          port: Number(port),
          path: `${target.pathname}${target.search}`,
          servername: target.hostname,
          ca,
          headers: { ...options?.headers, host: target.host },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            let parsed: unknown;
            try {
              parsed = JSON.parse(body);
            } catch {
              parsed = body;
            }
            resolve({ status: res.statusCode ?? 0, headers, body: parsed as T });
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('ETIMEDOUT')));
      req.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
