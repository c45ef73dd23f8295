/**
 * Microsoft.Network reads (by id, per resource group, per subscription), subnets, and the security rules of an
 * NSG (read, create or update, delete). Bodies are the world's objects, so writes show in the next NSG GET.
 */
import { json, param, type Reply, type RequestContext } from './context';
import { parentResourceNotFound, resourceNotFound } from './errors';
import { SUBSCRIPTION } from './ids';
import { listPage } from './paging';
import { parseSecurityRule } from './security-rules';
import type { NetworkSecurityGroup, SecurityRule, VirtualNetwork } from './shapes';
import { key, securityRule } from './world';

const NETWORK = 'Microsoft.Network';

function lookup<T>(ctx: RequestContext, map: ReadonlyMap<string, T>, type: string, name: string): T {
  const found = map.get(
    key(`${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/providers/${NETWORK}/${type}/${name}`),
  );
  if (found === undefined) throw resourceNotFound(`${NETWORK}/${type}/${name}`, param(ctx, 'rg'));
  return found;
}

// --------------------------------------------------------------------------------------------- subnets

function findVnet(ctx: RequestContext): VirtualNetwork {
  return lookup(ctx, ctx.world.vnets, 'virtualNetworks', param(ctx, 'vnet'));
}

export function getSubnet(ctx: RequestContext): Reply {
  const vnet = findVnet(ctx);
  const name = param(ctx, 'subnet');
  const subnet = vnet.properties.subnets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!subnet)
    throw resourceNotFound(`${NETWORK}/virtualNetworks/${vnet.name}/subnets/${name}`, param(ctx, 'rg'));
  return json(subnet);
}

export function listSubnets(ctx: RequestContext): Reply {
  return listPage(ctx, findVnet(ctx).properties.subnets);
}

// ------------------------------------------------------------------------------------- security rules

function findNsg(ctx: RequestContext, asParent = false): NetworkSecurityGroup {
  const name = param(ctx, 'nsg');
  const nsg = ctx.world.nsgs.get(
    key(
      `${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/providers/${NETWORK}/networkSecurityGroups/${name}`,
    ),
  );
  if (nsg) return nsg;
  throw asParent
    ? parentResourceNotFound(name)
    : resourceNotFound(`${NETWORK}/networkSecurityGroups/${name}`, param(ctx, 'rg'));
}

function ruleIndex(nsg: NetworkSecurityGroup, name: string): number {
  return nsg.properties.securityRules.findIndex((r) => r.name.toLowerCase() === name.toLowerCase());
}

export function getSecurityRule(ctx: RequestContext): Reply {
  const nsg = findNsg(ctx);
  const name = param(ctx, 'rule');
  const rule = nsg.properties.securityRules[ruleIndex(nsg, name)];
  if (!rule)
    throw resourceNotFound(
      `${NETWORK}/networkSecurityGroups/${nsg.name}/securityRules/${name}`,
      param(ctx, 'rg'),
    );
  return json(rule);
}

export function listSecurityRules(ctx: RequestContext): Reply {
  return listPage(ctx, findNsg(ctx).properties.securityRules);
}

/** 201 when the rule is new, 200 when it replaced one of the same name (names compare case-insensitively). */
export function putSecurityRule(ctx: RequestContext): Reply {
  const nsg = findNsg(ctx, true);
  const name = param(ctx, 'rule');
  const index = ruleIndex(nsg, name);
  const existing = nsg.properties.securityRules[index];
  const rule: SecurityRule = securityRule(
    nsg.id,
    existing?.name ?? name,
    parseSecurityRule(ctx.body, nsg, name),
  );
  if (existing) nsg.properties.securityRules[index] = rule;
  else nsg.properties.securityRules.push(rule);
  return json(rule, existing ? 200 : 201);
}

export function deleteSecurityRule(ctx: RequestContext): Reply {
  const nsg = findNsg(ctx, true);
  const index = ruleIndex(nsg, param(ctx, 'rule'));
  if (index < 0) return { status: 204 };
  nsg.properties.securityRules.splice(index, 1);
  return { status: 200 };
}
