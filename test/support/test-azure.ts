/** The simulated Azure of a test, serving the certificate this run trusts (see global-setup.ts). */
import { readFileSync } from 'node:fs';
import { type SimOptions, type SimulatedAzure, startSimulatedAzure } from '../../sim/arm/index';
import type { TlsMaterial } from '../../sim/tls';

export function testTls(): TlsMaterial {
  const file = process.env.RDPNOW_TEST_TLS;
  if (!file)
    throw new Error('RDPNOW_TEST_TLS is not set: run the tests through vitest (see vitest.config.ts).');
  return JSON.parse(readFileSync(file, 'utf8')) as TlsMaterial;
}

export function startTestAzure(options: SimOptions = {}): Promise<SimulatedAzure> {
  return startSimulatedAzure({ ...options, tls: testTls() });
}
