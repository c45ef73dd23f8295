/**
 * The sign-in page the host asks the extension to open (docs/PROTOCOL.md §2.8), checked before any tab opens: it
 * must be the selected cloud's own login host, the authorize endpoint of the tenant the extension asked for, the
 * Azure CLI's client, and a loopback redirect — so a host (or anything posing as one) can never make the
 * extension open another page. Pure.
 */

import type { AzureCloudName } from '../resource-id';
import { CLOUDS } from './clouds';

/** The Azure CLI's public client: pre-authorised for ARM in every tenant (sign-in logs show "Microsoft Azure CLI"). */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1):\d{1,5}\/?$/;

/** Null when the URL is the expected sign-in page; else why it is not, in words for the log. */
export function hostSignInUrlProblem(
  url: string,
  cloud: AzureCloudName,
  tenant: string | undefined,
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port)
    return 'not a plain https URL';
  if (parsed.hostname !== CLOUDS[cloud].authorityHost) return `another host (${parsed.hostname})`;
  if (parsed.pathname !== `/${tenant ?? 'organizations'}/oauth2/v2.0/authorize`) return 'another path';
  if (parsed.searchParams.get('client_id') !== AZURE_CLI_CLIENT_ID) return 'another client';
  if (!LOOPBACK.test(parsed.searchParams.get('redirect_uri') ?? ''))
    return 'a redirect that is not this computer';
  return null;
}
