/** Every ARM route the simulation answers, with the RBAC action each needs. */
import { getInstanceView, getOperation, renderVm, startVm } from './compute';
import { json, param, type Reply, type RequestContext } from './context';
import { resourceNotFound } from './errors';
import { SUBSCRIPTION } from './ids';
import { getPolicy, initiate, listPolicies } from './jit';
import {
  deleteSecurityRule,
  getSecurityRule,
  getSubnet,
  listSecurityRules,
  listSubnets,
  putSecurityRule,
} from './network';
import { listPage } from './paging';
import { queryResources } from './resource-graph';
import type { Route } from './router';
import { key, type World } from './world';

const SUB = '/subscriptions/{sub}';
const GROUP = `${SUB}/resourceGroups/{rg}`;

/** A top-level resource type served by id, per resource group and per subscription. */
interface Collection {
  namespace: string;
  type: string;
  items(world: World): ReadonlyMap<string, { id: string }>;
  render?(item: never, ctx: RequestContext): unknown;
}

const COLLECTIONS: readonly Collection[] = [
  { namespace: 'Microsoft.Compute', type: 'virtualMachines', items: (w) => w.vms, render: renderVm },
  { namespace: 'Microsoft.Network', type: 'networkInterfaces', items: (w) => w.nics },
  { namespace: 'Microsoft.Network', type: 'publicIPAddresses', items: (w) => w.publicIps },
  { namespace: 'Microsoft.Network', type: 'networkSecurityGroups', items: (w) => w.nsgs },
  { namespace: 'Microsoft.Network', type: 'virtualNetworks', items: (w) => w.vnets },
  { namespace: 'Microsoft.Network', type: 'loadBalancers', items: (w) => w.loadBalancers },
  { namespace: 'Microsoft.Network', type: 'bastionHosts', items: (w) => w.bastions },
];

function collectionRoutes(c: Collection): Route[] {
  const provider = `providers/${c.namespace}/${c.type}`;
  const action = `${c.namespace}/${c.type}/read`;
  const render = (item: { id: string }, ctx: RequestContext) =>
    c.render ? c.render(item as never, ctx) : (item as unknown);
  const list = (ctx: RequestContext, prefix: string): Reply =>
    listPage(
      ctx,
      [...c.items(ctx.world).entries()]
        .filter(([k]) => k.startsWith(prefix))
        .map(([, item]) => render(item, ctx)),
    );
  return [
    {
      method: 'GET',
      template: `${GROUP}/${provider}/{name}`,
      action,
      handle(ctx) {
        const id = `${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/${provider}/${param(ctx, 'name')}`;
        const item = c.items(ctx.world).get(key(id));
        if (!item) throw resourceNotFound(`${c.namespace}/${c.type}/${param(ctx, 'name')}`, param(ctx, 'rg'));
        return json(render(item, ctx));
      },
    },
    {
      method: 'GET',
      template: `${GROUP}/${provider}`,
      action,
      handle: (ctx) => list(ctx, key(`${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/`)),
    },
    {
      method: 'GET',
      template: `${SUB}/${provider}`,
      action,
      handle: (ctx) => list(ctx, key(`${SUBSCRIPTION}/`)),
    },
  ];
}

const VM = `${GROUP}/providers/Microsoft.Compute/virtualMachines/{name}`;
const VNET = `${GROUP}/providers/Microsoft.Network/virtualNetworks/{vnet}`;
const RULES = `${GROUP}/providers/Microsoft.Network/networkSecurityGroups/{nsg}/securityRules`;
const JIT = 'Microsoft.Security/locations/jitNetworkAccessPolicies';
const POLICIES = 'providers/Microsoft.Security/jitNetworkAccessPolicies';
const LOCATED_POLICIES = 'providers/Microsoft.Security/locations/{location}/jitNetworkAccessPolicies';

export const ROUTES: readonly Route[] = [
  ...COLLECTIONS.flatMap(collectionRoutes),
  {
    method: 'POST',
    template: '/providers/Microsoft.ResourceGraph/resources',
    action: 'Microsoft.ResourceGraph/resources/read',
    handle: queryResources,
  },
  {
    method: 'GET',
    template: `${VM}/instanceView`,
    action: 'Microsoft.Compute/virtualMachines/read',
    handle: getInstanceView,
  },
  {
    method: 'POST',
    template: `${VM}/start`,
    action: 'Microsoft.Compute/virtualMachines/start/action',
    actionSegment: true,
    handle: startVm,
  },
  {
    method: 'GET',
    template: `${SUB}/providers/Microsoft.Compute/locations/{location}/operations/{operation}`,
    action: 'Microsoft.Compute/locations/operations/read',
    handle: getOperation,
  },

  {
    method: 'GET',
    template: `${VNET}/subnets`,
    action: 'Microsoft.Network/virtualNetworks/subnets/read',
    handle: listSubnets,
  },
  {
    method: 'GET',
    template: `${VNET}/subnets/{subnet}`,
    action: 'Microsoft.Network/virtualNetworks/subnets/read',
    handle: getSubnet,
  },
  {
    method: 'GET',
    template: RULES,
    action: 'Microsoft.Network/networkSecurityGroups/securityRules/read',
    handle: listSecurityRules,
  },
  {
    method: 'GET',
    template: `${RULES}/{rule}`,
    action: 'Microsoft.Network/networkSecurityGroups/securityRules/read',
    handle: getSecurityRule,
  },
  {
    method: 'PUT',
    template: `${RULES}/{rule}`,
    action: 'Microsoft.Network/networkSecurityGroups/securityRules/write',
    handle: putSecurityRule,
  },
  {
    method: 'DELETE',
    template: `${RULES}/{rule}`,
    action: 'Microsoft.Network/networkSecurityGroups/securityRules/delete',
    handle: deleteSecurityRule,
  },

  { method: 'GET', template: `${SUB}/${POLICIES}`, action: `${JIT}/read`, handle: listPolicies },
  { method: 'GET', template: `${SUB}/${LOCATED_POLICIES}`, action: `${JIT}/read`, handle: listPolicies },
  { method: 'GET', template: `${GROUP}/${POLICIES}`, action: `${JIT}/read`, handle: listPolicies },
  { method: 'GET', template: `${GROUP}/${LOCATED_POLICIES}`, action: `${JIT}/read`, handle: listPolicies },
  {
    method: 'GET',
    template: `${GROUP}/${LOCATED_POLICIES}/{name}`,
    action: `${JIT}/read`,
    handle: getPolicy,
  },
  {
    method: 'POST',
    template: `${GROUP}/${LOCATED_POLICIES}/{name}/initiate`,
    action: `${JIT}/initiate/action`,
    actionSegment: true,
    handle: initiate,
  },
];
