/**
 * Azure VM resource ids and the portal URLs of a VM's page (docs/notes/azure-arm.md, "Portal URLs of a VM
 * page").
 * Used by the content script to decide whether to show the button, and by the CLI for its TARGET. Pure.
 *
 * Everything not positively a single VM is refused (scale sets and their instances, disks, list blades,
 * other hosts, other schemes): a wrong "yes" shows a button that cannot work.
 */

import { isTenant } from './tenant';

export interface VmResourceId {
  /** Lower-case GUID. */
  readonly subscriptionId: string;
  /** As written (ARM compares it case-insensitively). */
  readonly resourceGroup: string;
  readonly name: string;
  /** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}`. */
  readonly id: string;
}

/** Cloud names as in the Azure SDK and the Azure CLI. */
export const AZURE_CLOUD_NAMES = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud'] as const;
export type AzureCloudName = (typeof AZURE_CLOUD_NAMES)[number];

export function isAzureCloudName(name: unknown): name is AzureCloudName {
  return AZURE_CLOUD_NAMES.some((c) => c === name);
}

export interface PortalVm {
  readonly vm: VmResourceId;
  /** From `#@tenant/…`: a lower-case domain (contoso.onmicrosoft.com) or GUID; picks the authority. */
  readonly tenant?: string;
  /** The cloud whose portal the URL is on. */
  readonly cloud: AzureCloudName;
}

export interface VmTarget {
  readonly vm: VmResourceId;
  readonly tenant?: string;
  /** Only known when the target was a portal URL. */
  readonly cloud?: AzureCloudName;
}

/** The portal hosts of each cloud, exactly: subdomains of them and look-alikes are other sites. */
const PORTAL_HOSTS: ReadonlyMap<string, AzureCloudName> = new Map([
  ['portal.azure.com', 'AzureCloud'],
  ['ms.portal.azure.com', 'AzureCloud'],
  ['preview.portal.azure.com', 'AzureCloud'],
  ['portal.azure.us', 'AzureUSGovernment'],
  ['portal.azure.cn', 'AzureChinaCloud'],
]);

/** The main portal host of a cloud (listed first above), for links to a VM's page. */
export function portalHostOf(cloud: AzureCloudName): string {
  for (const [host, of] of PORTAL_HOSTS) if (of === cloud) return host;
  throw new Error(`No portal host for ${cloud}.`);
}

/** Whether a host name is one of the portal's (the content script's and the background's notion alike). */
export function isPortalHost(hostname: string): boolean {
  return PORTAL_HOSTS.has(hostname.toLowerCase());
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Azure: letters and digits (any script), `_ - . ( )`, 1–90 characters, not ending in a period. */
const RESOURCE_GROUP = /^[\p{L}\p{N}_.()-]{0,89}[\p{L}\p{N}_()-]$/u;
/** Azure: 1–64 characters, no spaces or punctuation beyond `_ - .`, not ending in a period. */
const VM_NAME = /^[\p{L}\p{N}_.-]{0,63}[\p{L}\p{N}_-]$/u;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

export function isResourceGroupName(s: string): boolean {
  return RESOURCE_GROUP.test(s);
}

export function isVmName(s: string): boolean {
  return VM_NAME.test(s);
}

export function vmResourceId(subscriptionId: string, resourceGroup: string, name: string): string {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  return `${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
}

/**
 * `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}` in any
 * casing of the fixed segments, the leading slash optional. Segments after the name (a portal menu such as
 * `/overview`, a child resource such as `/extensions/x`) are dropped: they still name the same VM.
 */
export function parseVmResourceId(s: string): VmResourceId | null {
  const segments = (s.startsWith('/') ? s.slice(1) : s).split('/');
  const [subscriptions, subscriptionId, resourceGroups, resourceGroup, providers, namespace, type, name] =
    segments;
  if (
    subscriptions?.toLowerCase() !== 'subscriptions' ||
    resourceGroups?.toLowerCase() !== 'resourcegroups' ||
    providers?.toLowerCase() !== 'providers' ||
    namespace?.toLowerCase() !== 'microsoft.compute' ||
    type?.toLowerCase() !== 'virtualmachines'
  ) {
    return null;
  }
  if (subscriptionId === undefined || !isGuid(subscriptionId)) return null;
  if (resourceGroup === undefined || !isResourceGroupName(resourceGroup)) return null;
  if (name === undefined || !isVmName(name)) return null;
  const subscription = subscriptionId.toLowerCase();
  return {
    subscriptionId: subscription,
    resourceGroup,
    name,
    id: vmResourceId(subscription, resourceGroup, name),
  };
}

/** Resource ids are case-insensitive: this is the form to compare and to key caches by. */
export function resourceIdKey(id: string): string {
  return id.toLowerCase();
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** A tenant as the portal writes it (after `#@`, or as the path's directory): shared/tenant.ts's isTenant. */
function parseTenant(s: string): string | null {
  return isTenant(s) ? s.toLowerCase() : null;
}

/**
 * The VM named by a portal fragment (without `#`), the optional `@tenant/` already removed:
 * `resource/{id}[/{menu}]`, `blade/{extension}/{blade}/…/id/{encoded id}[/…]` or
 * `view/{extension}/{blade}/…/id/{encoded id}`.
 */
function vmFromFragmentPath(path: string): VmResourceId | null {
  const slash = path.indexOf('/');
  if (slash === -1) return null;
  const kind = path.slice(0, slash).toLowerCase();
  const rest = path.slice(slash);
  if (kind === 'resource') {
    const id = decode(rest);
    return id === null ? null : parseVmResourceId(id);
  }
  if (kind === 'blade' || kind === 'view') {
    // The id is a parameter after the extension and blade names; what follows it (`/menuid/…`) is dropped.
    const segments = rest.slice(1).split('/');
    const idAt = segments.findIndex((segment, i) => i >= 2 && segment.toLowerCase() === 'id');
    if (idAt === -1) return null;
    const id = decode(segments.slice(idAt + 1).join('/'));
    return id === null ? null : parseVmResourceId(id);
  }
  return null;
}

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/**
 * A portal URL of a VM page, of any cloud:
 * `https://portal.azure.com/[{directory}][?query]#[@[tenant]/]resource/{id}[/menu]`,
 * `#blade/HubsExtension/ResourceMenuBlade/id/{encoded id}[/menuid/…]` or
 * `#view/HubsExtension/ResourceMenuBlade/~/overview/id/{encoded id}`, in any casing. The tenant may be empty
 * (`#@/resource/…`, as azd and Logic Apps write it: the user's default directory) or given as the path's
 * directory (`https://portal.azure.com/contoso.onmicrosoft.com#resource/…`, the portal's deep links); a
 * `#@tenant` wins over the directory. Only https on the default port with no user info, and a path that is `/`
 * or one directory: the portal is never served otherwise.
 */
export function parsePortalUrl(url: string): PortalVm | null {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:' || parsed.port !== '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  const cloud = PORTAL_HOSTS.get(parsed.hostname);
  if (cloud === undefined) return null;
  let tenant: string | null = null;
  if (parsed.pathname !== '/') {
    const directory = /^\/([^/]+)\/?$/.exec(parsed.pathname)?.[1];
    const text = directory === undefined ? null : decode(directory);
    tenant = text === null ? null : parseTenant(text);
    if (tenant === null) return null;
  }
  let fragment = parsed.hash.slice(1);
  if (fragment.startsWith('@')) {
    const slash = fragment.indexOf('/');
    if (slash === -1) return null;
    const tenantText = decode(fragment.slice(1, slash));
    if (tenantText === null) return null;
    // An empty tenant is the user's default directory: no authority of its own (the path's, if any, stays).
    if (tenantText !== '') {
      tenant = parseTenant(tenantText);
      if (tenant === null) return null;
    }
    fragment = fragment.slice(slash + 1);
  }
  const vm = vmFromFragmentPath(fragment);
  if (vm === null) return null;
  return tenant === null ? { vm, cloud } : { vm, tenant, cloud };
}

/** A CLI or UI target: a VM resource id or a portal URL of a VM page (surrounding whitespace ignored). */
export function parseVmTarget(s: string): VmTarget | null {
  const text = s.trim();
  if (/^https:/i.test(text)) return parsePortalUrl(text);
  const vm = parseVmResourceId(text);
  return vm === null ? null : { vm };
}
