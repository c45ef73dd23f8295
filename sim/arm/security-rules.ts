/**
 * `PUT …/networkSecurityGroups/{nsg}/securityRules/{rule}`: the body checked as ARM checks it (shape as in
 * network_SecurityRules_CreateOrUpdate), turned into the stored rule.
 */
import { isIP } from 'node:net';
import { badRequest } from './errors';
import type { NetworkSecurityGroup, Ref, SecurityRuleProperties } from './shapes';

const PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'] as const;
const RULE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
/** Service tags: `Internet`, `VirtualNetwork`, `AzureCloud.WestEurope`, `Storage.EastUS2`, … */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)?$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkRuleName(name: string): void {
  if (!RULE_NAME.test(name)) {
    throw badRequest(
      'InvalidResourceName',
      `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.`,
    );
  }
}

function choice<T extends string>(props: Json, name: string, allowed: readonly T[]): T {
  const value = props[name];
  const found =
    typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (found === undefined) {
    throw badRequest(
      'InvalidRequestFormat',
      `Cannot parse the request: security rule property '${name}' must be one of ${allowed.join(', ')} (got ${JSON.stringify(value) ?? 'nothing'}).`,
    );
  }
  return found;
}

function isAddressPrefix(value: string): boolean {
  if (value === '*' || isIP(value) !== 0) return true;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(value);
  if (cidr) {
    const version = isIP(cidr[1] ?? '');
    const bits = Number(cidr[2]);
    return (version === 4 && bits <= 32) || (version === 6 && bits <= 128);
  }
  return SERVICE_TAG.test(value);
}

function isPortRange(value: string): boolean {
  if (value === '*') return true;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  if (!match) return false;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  return low <= high && high <= 65535;
}

/**
 * One of `{single}` (a string) or `{plural}` (a non-empty string array) — or, for addresses, application
 * security groups. Returns the properties to store.
 */
function oneOf(
  props: Json,
  ruleId: string,
  single: string,
  plural: string,
  valid: (v: string) => boolean,
  invalidCode: string,
  groups?: string,
): Record<string, string | string[] | Ref[]> {
  const given = [single, plural, ...(groups ? [groups] : [])].filter((p) => props[p] !== undefined);
  if (given.length === 0) {
    throw badRequest(
      'SecurityRuleParameterMissing',
      `Security rule ${ruleId} must specify either ${single} or ${plural}${groups ? ` or ${groups}` : ''}.`,
    );
  }
  if (given.length > 1) {
    throw badRequest(
      'SecurityRuleParameterContainsUnsupportedValue',
      `Security rule ${ruleId} specifies ${given.join(' and ')}; only one of them may be given.`,
    );
  }
  const [which] = given as [string];
  const value = props[which];
  if (which === groups) {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((g) => isObject(g) && typeof g.id === 'string')
    ) {
      throw badRequest(
        'InvalidRequestFormat',
        `Cannot parse the request: ${groups} must be a list of {"id": …}.`,
      );
    }
    return { [which]: value.map((g) => ({ id: (g as Ref).id })) };
  }
  const values = which === single ? [value] : value;
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    !values.every((v) => typeof v === 'string' && valid(v))
  ) {
    throw badRequest(
      invalidCode,
      `Security rule ${ruleId} has an invalid ${which}: ${JSON.stringify(value)}.`,
    );
  }
  return { [which]: value as string | string[] };
}

/** The stored properties of the rule `name` written into `nsg` with `body`; throws ARM's 400 when invalid. */
export function parseSecurityRule(
  body: unknown,
  nsg: NetworkSecurityGroup,
  name: string,
): SecurityRuleProperties {
  checkRuleName(name);
  const ruleId = `${nsg.id}/securityRules/${name}`;
  if (!isObject(body) || !isObject(body.properties)) {
    throw badRequest(
      'InvalidRequestFormat',
      'Cannot parse the request: the body needs a "properties" object.',
    );
  }
  const props = body.properties;
  const protocol = choice(props, 'protocol', PROTOCOLS);
  const access = choice(props, 'access', ['Allow', 'Deny'] as const);
  const direction = choice(props, 'direction', ['Inbound', 'Outbound'] as const);
  const priority = props.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 100 || priority > 4096) {
    throw badRequest(
      'SecurityRuleInvalidPriority',
      `Security rule has invalid Priority. Value provided: ${JSON.stringify(priority) ?? 'none'}. Allowed range 100-4096.`,
    );
  }
  const description = props.description;
  if (description !== undefined && (typeof description !== 'string' || description.length > 140)) {
    throw badRequest(
      'InvalidRequestFormat',
      'Cannot parse the request: description must be a string of at most 140 characters.',
    );
  }
  const clash = nsg.properties.securityRules.find(
    (r) =>
      r.name.toLowerCase() !== name.toLowerCase() &&
      r.properties.priority === priority &&
      r.properties.direction === direction,
  );
  if (clash) {
    throw badRequest(
      'SecurityRuleConflict',
      `Security rule ${name} conflicts with rule ${clash.name}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.`,
    );
  }
  const ports = 'SecurityRuleInvalidPortRange';
  const addresses = 'SecurityRuleInvalidAddressPrefix';
  return {
    provisioningState: 'Succeeded',
    ...(description === undefined ? {} : { description }),
    protocol,
    ...oneOf(props, ruleId, 'sourcePortRange', 'sourcePortRanges', isPortRange, ports),
    ...oneOf(props, ruleId, 'destinationPortRange', 'destinationPortRanges', isPortRange, ports),
    ...oneOf(
      props,
      ruleId,
      'sourceAddressPrefix',
      'sourceAddressPrefixes',
      isAddressPrefix,
      addresses,
      'sourceApplicationSecurityGroups',
    ),
    ...oneOf(
      props,
      ruleId,
      'destinationAddressPrefix',
      'destinationAddressPrefixes',
      isAddressPrefix,
      addresses,
      'destinationApplicationSecurityGroups',
    ),
    access,
    priority,
    direction,
  };
}
