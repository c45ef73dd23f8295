/**
 * What a tenant may be wherever one enters (a native message, the CLI, settings, a portal URL): a directory
 * GUID or a domain name. Anything else — a path such as `../x`, spaces, 200 characters — is refused, because
 * it becomes part of the sign-in authority's URL. Pure.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A directory (tenant) GUID or a domain name such as contoso.onmicrosoft.com. */
export function isTenant(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value);
}

/** A tenant, or one of the multi-tenant authorities a setting may name instead. */
export function isAuthorityTenant(value: string): boolean {
  return value === 'organizations' || value === 'common' || isTenant(value);
}
