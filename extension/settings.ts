/**
 * The user's settings (storage.local) and what an organisation presets by policy (storage.managed): validated
 * on every read, so a damaged or hand-edited value falls back to the default instead of breaking anything.
 */
import * as v from 'valibot';
import { parseIp } from '../shared/ip';
import { isGuid } from '../shared/resource-id';
import { CLIENT_CHOICES, CloudSchema, TenantSchema } from './messages';

/** The IP-lookup service's origin: an optional permission, asked for when the lookup is turned on. */
export const IP_LOOKUP_ORIGIN = 'https://api.ipify.org/*';

/** `organizations`, `common`, a tenant GUID or a verified domain: shared/tenant.ts's isAuthorityTenant. */
export { CloudSchema, TenantSchema };
export const ClientIdSchema = v.pipe(
  v.string(),
  v.check((t) => t === '' || isGuid(t), 'an application (client) id'),
);
/** A per-VM setting's key: the lower-cased resource id. */
const VmKey = v.pipe(v.string(), v.maxLength(1024));
/** A user name as the `.rdp` allowlist takes it: printable, at most 256 characters. */
const UserName = v.pipe(v.string(), v.maxLength(256), v.regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u));

/**
 * `host`: the companion host signs in as the Azure CLI's client — no app registration (the default).
 * `app-registration`: MSAL in the extension with the organisation's own app (client id, redirect URI).
 */
export const SIGN_IN_METHODS = ['host', 'app-registration'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
const SignInMethodSchema = v.picklist(SIGN_IN_METHODS);

/**
 * How a VM is reached (issue 14, `--via` in the CLI): `auto` takes the direct route and, with none, looks for an
 * Azure Bastion; `direct` never looks for one; `bastion` always goes through one.
 */
export const ROUTE_CHOICES = ['auto', 'direct', 'bastion'] as const;
export type RouteChoice = (typeof ROUTE_CHOICES)[number];
export const RouteChoiceSchema = v.picklist(ROUTE_CHOICES);

export const SettingsSchema = v.object({
  signInMethod: v.optional(SignInMethodSchema, 'host'),
  cloud: v.optional(CloudSchema, 'AzureCloud'),
  clientId: v.optional(ClientIdSchema, ''),
  tenant: v.optional(TenantSchema, 'organizations'),
  /** Used for every VM without its own (e.g. `.\azureuser`, `VM\admin`, `AzureAD\user@contoso.com`). */
  defaultUser: v.optional(UserName, ''),
  /** Per VM, keyed by the lower-cased resource id. */
  userByVm: v.optional(v.record(VmKey, UserName), {}),
  /** The route chosen for a VM, keyed by the lower-cased resource id; a VM without one is `auto`. */
  viaByVm: v.optional(v.record(VmKey, v.picklist(['direct', 'bastion'])), {}),
  /** Entra ID sign-in to Entra-joined VMs (`enablerdsaadauth:i:1`). */
  entraSignIn: v.optional(v.boolean(), false),
  display: v.optional(
    v.object({
      mode: v.optional(v.picklist(['window', 'fullscreen']), 'fullscreen'),
      width: v.optional(v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(8192))),
      height: v.optional(v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(8192))),
      multimon: v.optional(v.boolean(), false),
    }),
    { mode: 'fullscreen', multimon: false },
  ),
  /** Opt-in redirections the `.rdp` allowlist permits; everything else is always off. */
  redirections: v.optional(
    v.object({ clipboard: v.optional(v.boolean(), false), printers: v.optional(v.boolean(), false) }),
    { clipboard: false, printers: false },
  ),
  /** Look up the public IP over HTTPS (needs the optional permission for the lookup host). */
  ipLookup: v.optional(v.boolean(), true),
  /** The address Azure sees, given by hand (behind proxies and VPNs a lookup can be wrong); wins over the lookup. */
  sourceIp: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => s === '' || parseIp(s) !== null, 'an IP address'),
    ),
    '',
  ),
  preferredClient: v.optional(v.picklist(CLIENT_CHOICES), 'auto'),
  /** Connect to private IPs (VPN, ExpressRoute, peering) instead of public ones. */
  privateIp: v.optional(v.boolean(), false),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

/** What a policy may preset (storage.managed, schema in managed-schema.json): these win over the user's values. */
export const ManagedSchema = v.object({
  signInMethod: v.optional(SignInMethodSchema),
  cloud: v.optional(CloudSchema),
  clientId: v.optional(ClientIdSchema),
  tenant: v.optional(TenantSchema),
});
export type Managed = v.InferOutput<typeof ManagedSchema>;

export function defaultSettings(): Settings {
  return v.parse(SettingsSchema, {});
}

/** Reads stored settings; anything invalid is dropped field by field to its default, never thrown. */
export function parseSettings(stored: unknown, managed: unknown = {}): Settings {
  const base = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    if (!(key in SettingsSchema.entries)) continue;
    const entry = SettingsSchema.entries[key as keyof typeof SettingsSchema.entries];
    if (v.safeParse(entry, value).success) clean[key] = value;
  }
  const settings = v.parse(SettingsSchema, clean);
  const { signInMethod, cloud, clientId, tenant } = managedFields(managed);
  return {
    ...settings,
    ...(signInMethod !== undefined && { signInMethod }),
    ...(cloud !== undefined && { cloud }),
    ...(clientId !== undefined && { clientId }),
    ...(tenant !== undefined && { tenant }),
  };
}

/** The user name for a VM: its own, else the default; empty means the client asks. */
export function userFor(settings: Settings, vmId: string): string {
  return settings.userByVm[vmId.toLowerCase()] ?? settings.defaultUser;
}

/** The route chosen for a VM, else `auto`. */
export function routeFor(settings: Settings, vmId: string): RouteChoice {
  return settings.viaByVm[vmId.toLowerCase()] ?? 'auto';
}

/** The valid fields of a policy, each on its own: one bad field does not void the others. */
export function managedFields(raw: unknown): Managed {
  if (typeof raw !== 'object' || raw === null) return {};
  const record = raw as Record<string, unknown>;
  const out: Managed = {};
  for (const key of ['signInMethod', 'cloud', 'clientId', 'tenant'] as const) {
    const parsed = v.safeParse(ManagedSchema.entries[key], record[key]);
    if (parsed.success && parsed.output !== undefined) Object.assign(out, { [key]: parsed.output });
  }
  return out;
}
