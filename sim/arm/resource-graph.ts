/**
 * Azure Resource Graph's `POST /providers/Microsoft.ResourceGraph/resources`, for the one query RDP now sends:
 * the Bastions in reach of a VNet (shared/checks/bastion.ts `bastionQuery`). The simulation does not run KQL: it
 * recognises that query, takes its VNet id and computes the rows the query describes from the world, leaving
 * out everything when the caller may not read Bastions or VNets (as Resource Graph does). Any other
 * query is answered 400 as an invalid one. The reply has ARG's shape (resourcegraph_Resources_BasicQuery).
 */
import { json, type Reply, type RequestContext } from './context';
import { badRequest } from './errors';
import { key } from './world';

const VNET_OF_QUERY = /id =~ '([^']+)'/;

export function queryResources(ctx: RequestContext): Reply {
  const query = (ctx.body as { query?: unknown } | undefined)?.query;
  const vnetId = typeof query === 'string' ? VNET_OF_QUERY.exec(query)?.[1] : undefined;
  if (typeof query !== 'string' || !/microsoft\.network\/bastionhosts/i.test(query) || !vnetId) {
    throw badRequest('BadRequest', 'The simulated Resource Graph answers only the Bastion discovery query.');
  }
  const { world } = ctx;
  // Resource Graph answers only with what the caller may read: no error, just fewer rows.
  const hidden = (action: string) => ctx.denied?.has(action.toLowerCase()) ?? false;
  if (hidden('Microsoft.Network/bastionHosts/read') || hidden('Microsoft.Network/virtualNetworks/read')) {
    return json({ totalRecords: 0, count: 0, data: [], facets: [], resultTruncated: 'false' });
  }
  const vnet = world.vnets.get(key(vnetId));
  const reach = new Map<string, string>();
  if (vnet) {
    reach.set(key(vnet.id), 'Self');
    for (const p of vnet.properties.virtualNetworkPeerings) {
      reach.set(key(p.properties.remoteVirtualNetwork.id), p.properties.peeringState);
    }
  }
  const subnetPrefix = (subnetId: string): string | null => {
    for (const net of world.vnets.values()) {
      const subnet = net.properties.subnets.find((s) => key(s.id) === key(subnetId));
      if (subnet) return subnet.properties.addressPrefix;
    }
    return null;
  };
  const data = [...world.bastions.values()].flatMap((bastion) => {
    const subnetId = key(bastion.properties.ipConfigurations[0]?.properties.subnet.id ?? '');
    const bastionVnet = subnetId.slice(0, subnetId.lastIndexOf('/subnets/'));
    const state = reach.get(bastionVnet);
    if (state === undefined) return [];
    return [
      {
        id: bastion.id,
        name: bastion.name,
        sku: bastion.sku.name,
        dnsName: bastion.properties.dnsName,
        tunneling: bastion.properties.enableTunneling,
        state: bastion.properties.provisioningState,
        vnetId: bastionVnet,
        reach: state,
        subnetId,
        subnetPrefix: subnetPrefix(subnetId),
      },
    ];
  });
  return json({ totalRecords: data.length, count: data.length, data, facets: [], resultTruncated: 'false' });
}
