/**
 * A small ARM over HTTPS that answers from recordings: each GET of a recorded path gets its recorded body
 * (api-version ignored; a resource recorded only inside a list gets its body from there), a list of a resource group's network resources of one type gets the recorded list or
 * else the recorded bodies of that type, and anything else 404 as ARM would. Every request is logged, with the
 * host it was sent to. Reads test/fixtures/recorded-arm (test/fixtures/recorded-arm/README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testTls } from './test-azure';

export const RECORDED_DIR = fileURLToPath(new URL('../fixtures/recorded-arm/', import.meta.url));

/** Some recordings keep the SDK's placeholder for the subscription; a GUID stands in for it. */
const PLACEHOLDER = '<AZURE_SUBSCRIPTION_ID>';
export const PLACEHOLDER_SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';

export interface Recording {
  case: string;
  vmId: string;
  /** Path (lower-cased, no query) → the recorded body text. */
  bodies: Map<string, string>;
}

interface RecordedFile {
  case: string;
  vmId: string;
  bodies: Array<{ role: string; method: string; url: string; body: string }>;
}

const real = (text: string) => text.replaceAll(PLACEHOLDER, PLACEHOLDER_SUBSCRIPTION);

/** Every recorded VM (the JIT list file aside). */
export function loadRecordings(): Recording[] {
  return readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'jit-list.json')
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(`${RECORDED_DIR}${file}`, 'utf8')) as RecordedFile;
      const bodies = new Map<string, string>();
      for (const b of data.bodies) bodies.set(real(b.url).toLowerCase(), real(b.body));
      return { case: data.case, vmId: real(data.vmId), bodies };
    });
}

/** The recorded just-in-time policy list: its path and body. */
export function loadJitList(): { path: string; body: string } {
  const data = JSON.parse(readFileSync(`${RECORDED_DIR}jit-list.json`, 'utf8')) as {
    url: string;
    body: string;
  };
  return { path: data.url.toLowerCase(), body: data.body };
}

export interface Served {
  method: string;
  host: string;
  path: string;
  authorization: string | undefined;
}

export interface RecordedArm {
  url: string;
  port: number;
  requests: Served[];
  /** What to answer from now on: path (lower-cased) → body text. */
  serve(bodies: ReadonlyMap<string, string>): void;
  close(): Promise<void>;
}

const LIST = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/[^/]+)$/;

function answer(bodies: ReadonlyMap<string, string>, path: string): string | null {
  const recorded = bodies.get(path);
  if (recorded !== undefined) return recorded;
  const list = LIST.exec(path);
  if (!list) return listed(bodies, path);
  // A list that was not recorded holds the recorded bodies of its type, as ARM's list would.
  const prefix = `${list[1]}/`;
  const items = [...bodies]
    .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
    .map(([, body]) => JSON.parse(body) as unknown);
  return JSON.stringify({ value: items });
}

/** A resource recorded only inside a list (`value[]`): ARM would answer its GET with the same body. */
function listed(bodies: ReadonlyMap<string, string>, path: string): string | null {
  for (const body of bodies.values()) {
    const items = (JSON.parse(body) as { value?: unknown }).value;
    if (!Array.isArray(items)) continue;
    const item = items.find((i) => (i as { id?: unknown })?.id?.toString().toLowerCase() === path);
    if (item !== undefined) return JSON.stringify(item);
  }
  return null;
}

/** Starts an HTTPS server with this run's test certificate on 127.0.0.1. */
export async function startRecordedArm(): Promise<RecordedArm> {
  const tls = testTls();
  let bodies: ReadonlyMap<string, string> = new Map();
  const requests: Served[] = [];
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    const path = (req.url ?? '').split('?')[0]?.toLowerCase() ?? '';
    requests.push({
      method: req.method ?? '',
      host: req.headers.host ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      const body = req.method === 'GET' ? answer(bodies, path) : null;
      res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body ?? JSON.stringify({ error: { code: 'NotFound', message: 'Not recorded.' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    serve(next) {
      bodies = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
