/**
 * Which hosts may receive an ARM token for a Bastion session: the cloud's Bastion domain only (docs/notes/bastion.md).
 * Shared by the host (its tunnel and `rdp-now tunnel`) and the extension (which mints the sessions), so both refuse
 * the same names before any request.
 */
import type { AzureCloudName } from './resource-id';

/**
 * The DNS suffix of each cloud's Bastion hosts. Only the public cloud's is known from a source
 * (BastionHostGet.json: `bst-<guid>.bastion.azure.com`); the others are left out rather than guessed.
 */
export const BASTION_DOMAINS: Readonly<Record<AzureCloudName, string | null>> = {
  AzureCloud: 'bastion.azure.com',
  AzureUSGovernment: null,
  AzureChinaCloud: null,
};

/** The host permission patterns of the known Bastion domains (the manifest's optional_host_permissions). */
export const BASTION_ORIGIN_PATTERNS: readonly string[] = Object.values(BASTION_DOMAINS)
  .filter((domain): domain is string => domain !== null)
  .map((domain) => `https://*.${domain}/*`);

/** The Bastion's lower-cased host name, or why the token may not go there (one sentence). */
export function bastionHostName(
  dnsName: string | null | undefined,
  cloud: AzureCloudName,
): { ok: true; host: string } | { ok: false; reason: string } {
  const domain = BASTION_DOMAINS[cloud];
  if (!dnsName) return { ok: false, reason: 'Azure reports no DNS name for the Bastion.' };
  if (!domain) {
    return {
      ok: false,
      reason: `Tunnels through a Bastion of ${cloud} are not supported yet: its Bastion domain is not known, and the token is sent only to known Bastion hosts.`,
    };
  }
  const host = dnsName.toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) || !host.endsWith(`.${domain}`)) {
    return {
      ok: false,
      reason: `The Bastion's DNS name ${dnsName} is not under ${domain}; RDP now sends the token to Bastion hosts only.`,
    };
  }
  return { ok: true, host };
}
