/**
 * The options page's field validation and the app-registration command, as pure functions. Each validator
 * takes what the user typed and returns the value to store or one sentence that says what to enter; the
 * schemas of ../settings.ts stay the final word (the store parses the whole object again before writing).
 */
import * as v from 'valibot';
import { formatIp, parseIp } from '../../shared/ip';
import type { AzureCloudName } from '../../shared/resource-id';
import { parseVmTarget, resourceIdKey } from '../../shared/resource-id';
import { type RouteChoice, RouteChoiceSchema, SettingsSchema, TenantSchema } from '../settings';

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Validated<T> => ({ ok: true, value });
const fail = <T>(message: string): Validated<T> => ({ ok: false, message });

/** Empty (not configured yet) or the GUID of the app registration. */
export function validateClientId(text: string): Validated<string> {
  const value = text.trim().toLowerCase();
  return v.safeParse(SettingsSchema.entries.clientId, value).success
    ? ok(value)
    : fail(
        'Enter the application (client) id from the app registration’s overview: a GUID such as 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.',
      );
}

/** `organizations`, `common`, a tenant GUID or a verified domain; any case (all are case-insensitive). */
export function validateTenant(text: string): Validated<string> {
  const value = text.trim().toLowerCase();
  return v.safeParse(TenantSchema, value).success
    ? ok(value)
    : fail('Enter organizations, a tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com.');
}

/** A user name as the `.rdp` allowlist takes it; empty means the client asks. */
export function validateUserName(text: string): Validated<string> {
  const value = text.trim();
  if (value.length > 256) return fail('A user name can be at most 256 characters long.');
  return v.safeParse(SettingsSchema.entries.defaultUser, value).success
    ? ok(value)
    : fail('A user name cannot contain control or formatting characters.');
}

/** The source IP given by hand: an IPv4 or IPv6 address, or empty for none. */
export function validateSourceIp(text: string): Validated<string> {
  const value = text.trim();
  if (value === '') return ok('');
  const ip = parseIp(value);
  return ip ? ok(formatIp(ip)) : fail('Enter an IPv4 or IPv6 address, e.g. 203.0.113.7, or leave it empty.');
}

/**
 * A VM for a per-VM user name: its resource id, or the portal URL of its page (pasted from the address bar).
 * The value is the key settings use: the lower-cased resource id.
 */
export function validateVmKey(text: string): Validated<string> {
  const target = parseVmTarget(text);
  return target === null
    ? fail(
        'Enter the VM’s resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…) or the portal address of its page.',
      )
    : ok(resourceIdKey(target.vm.id));
}

/** A VM's route as the report's Route control gives it: Automatic, Direct or Through Azure Bastion. */
export function validateRoute(value: unknown): Validated<RouteChoice> {
  return v.is(RouteChoiceSchema, value)
    ? ok(value)
    : fail('Route must be Automatic, Direct or Through Azure Bastion; nothing was stored.');
}

/** A window width or height in pixels, 200–8192; empty leaves it to the client. */
export function validateDimension(text: string, what: 'width' | 'height'): Validated<number | undefined> {
  const value = text.trim();
  if (value === '') return ok(undefined);
  const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return n >= 200 && n <= 8192 ? ok(n) : fail(`Enter a ${what} from 200 to 8192 pixels, or leave it empty.`);
}

/** A redirect URI as `identity.getRedirectURL()` returns it: https, a host name, the root path. */
export function isRedirectUri(uri: string): boolean {
  return /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+\/$/.test(uri);
}

const GRAPH: Readonly<Record<AzureCloudName, string>> = {
  AzureCloud: 'https://graph.microsoft.com',
  AzureUSGovernment: 'https://graph.microsoft.us',
  AzureChinaCloud: 'https://microsoftgraph.chinacloudapi.cn',
};

/** Azure Service Management and its `user_impersonation` scope (the same ids in every cloud). */
const ARM_ACCESS =
  '[{"resourceAppId":"797f4846-ba00-4fd7-ba43-dac1f8f63013","resourceAccess":[{"id":"41094075-9dad-400e-a0bd-54e686782033","type":"Scope"}]}]';

/**
 * The Azure CLI commands (bash) that register the app with these single-page-application redirect URIs
 * (docs/notes/msal-in-extensions.md, "App registration"), then print the client id to paste. `az ad app` has no
 * SPA flag, hence the Graph PATCH, which sets the whole list.
 */
export function azCommand(redirectUris: readonly string[], cloud: AzureCloudName = 'AzureCloud'): string {
  const uris = redirectUris.filter(isRedirectUri);
  if (uris.length === 0) throw new Error('azCommand needs at least one https redirect URI.');
  const body = JSON.stringify({ spa: { redirectUris: uris } });
  return [
    ...(cloud === 'AzureCloud' ? [] : [`az cloud set --name ${cloud} && az login`]),
    'read APPID OBJID < <(az ad app create --display-name "RDP now" --sign-in-audience AzureADMultipleOrgs \\',
    `  --required-resource-accesses '${ARM_ACCESS}' \\`,
    '  --query "[appId,id]" -o tsv)',
    `az rest --method PATCH --uri "${GRAPH[cloud]}/v1.0/applications/$OBJID" \\`,
    `  --headers Content-Type=application/json --body '${body}'`,
    'echo "Application (client) id: $APPID"',
  ].join('\n');
}

export const CLOUD_NAMES: Readonly<Record<AzureCloudName, string>> = {
  AzureCloud: 'Azure (global)',
  AzureUSGovernment: 'Azure Government (US)',
  AzureChinaCloud: 'Azure operated by 21Vianet (China)',
};
