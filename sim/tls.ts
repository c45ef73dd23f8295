/**
 * A certificate authority and a server certificate for the simulations, made with the `openssl` command line
 * (no npm dependency). The CA is self-signed; trust it with `NODE_EXTRA_CA_CERTS=<file>`, `ca:` in Node's TLS
 * options, or a browser's certificate store. The server certificate names every host the simulations stand
 * in for. Made once per process (EC P-256, ~50 ms) and shared by every simulation it starts.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface TlsMaterial {
  /** The self-signed CA certificate (PEM) that issued `certPem`. */
  caCertPem: string;
  /** The server certificate (PEM), valid for `SIM_HOSTNAMES` and `SIM_IPS`. */
  certPem: string;
  keyPem: string;
}

export const SIM_HOSTNAMES: readonly string[] = [
  'localhost',
  'management.azure.com',
  'portal.azure.com',
  'login.microsoftonline.com',
  'api.ipify.org',
  // The Bastions' own names (bst-<guid>.bastion.azure.com), reached like ARM at their real names. Only the public
  // cloud's Bastion domain is known (shared/bastion-host.ts): the others are not guessed here either.
  '*.bastion.azure.com',
];
export const SIM_IPS: readonly string[] = ['127.0.0.1', '::1'];

const run = promisify(execFile);
let material: Promise<TlsMaterial> | undefined;

/** The process's certificate material, made on first use. Rejects when `openssl` cannot be run. */
export function simulationTls(): Promise<TlsMaterial> {
  material ??= generate().catch((error: unknown) => {
    material = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not make the simulation's TLS certificate with openssl: ${reason}`);
  });
  return material;
}

function config(): string {
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    'CN = RDP now simulation CA',
    '[ca_ext]',
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    '[server_ext]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    'subjectAltName = @alt_names',
    '[alt_names]',
    ...SIM_HOSTNAMES.map((host, i) => `DNS.${i + 1} = ${host}`),
    ...SIM_IPS.map((ip, i) => `IP.${i + 1} = ${ip}`),
    '',
  ].join('\n');
}

async function generate(): Promise<TlsMaterial> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdp-now-tls-'));
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await writeFile(file('openssl.cnf'), config());
    await run('openssl', [
      'req',
      '-x509',
      '-config',
      file('openssl.cnf'),
      '-extensions',
      'ca_ext',
      ...ec,
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-days',
      '3650',
    ]);
    await run('openssl', [
      'req',
      '-new',
      '-config',
      file('openssl.cnf'),
      ...ec,
      '-subj',
      '/CN=management.azure.com',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      '397',
      '-extfile',
      file('openssl.cnf'),
      '-extensions',
      'server_ext',
      '-out',
      file('server.pem'),
    ]);
    const [caCertPem, certPem, keyPem] = await Promise.all(
      ['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(file(name), 'utf8')),
    );
    return { caCertPem: caCertPem ?? '', certPem: certPem ?? '', keyPem: keyPem ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
