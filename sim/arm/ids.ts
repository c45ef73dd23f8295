/** The simulated subscription's names and the builders of its resource ids, in ARM's canonical casing. */

export const SUBSCRIPTION_ID = '6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c';
export const TENANT_ID = '72f988bf-0000-4d2e-9a1b-2c3d4e5f6a7b';
export const LOCATION = 'westeurope';
/** The VMs, their NICs, public IPs, NSGs, the load balancer and the JIT policy. */
export const VM_GROUP = 'rg-rdpnow-demo';
/** The shared VNet and the subnet NSG: deliberately another group than the VMs. */
export const NETWORK_GROUP = 'rg-network';
/** The hub VNet with the Bastion that the spoke VNets' VMs reach through peering. */
export const HUB_GROUP = 'rg-hub';
export const RESOURCE_GROUPS: readonly string[] = [VM_GROUP, NETWORK_GROUP, HUB_GROUP];

export const SUBSCRIPTION = `/subscriptions/${SUBSCRIPTION_ID}`;

export function groupId(group: string): string {
  return `${SUBSCRIPTION}/resourceGroups/${group}`;
}

/** `/subscriptions/{s}/resourceGroups/{group}/providers/{namespace}/{type}/{name}`, plus child segments. */
export function resourceId(
  group: string,
  namespaceAndType: string,
  name: string,
  ...children: string[]
): string {
  const tail = children.length > 0 ? `/${children.join('/')}` : '';
  return `${groupId(group)}/providers/${namespaceAndType}/${name}${tail}`;
}

export const vmId = (name: string) => resourceId(VM_GROUP, 'Microsoft.Compute/virtualMachines', name);
export const diskId = (name: string) => resourceId(VM_GROUP, 'Microsoft.Compute/disks', name);
export const nicId = (name: string) => resourceId(VM_GROUP, 'Microsoft.Network/networkInterfaces', name);
export const ipConfigurationId = (nic: string, config: string) =>
  resourceId(VM_GROUP, 'Microsoft.Network/networkInterfaces', nic, 'ipConfigurations', config);
export const publicIpId = (name: string) => resourceId(VM_GROUP, 'Microsoft.Network/publicIPAddresses', name);
export const nsgId = (group: string, name: string) =>
  resourceId(group, 'Microsoft.Network/networkSecurityGroups', name);
const vnetGroup = (vnet: string) => (vnet === 'vnet-hub' ? HUB_GROUP : NETWORK_GROUP);
export const vnetId = (name: string) =>
  resourceId(vnetGroup(name), 'Microsoft.Network/virtualNetworks', name);
export const subnetId = (vnet: string, subnet: string) =>
  resourceId(vnetGroup(vnet), 'Microsoft.Network/virtualNetworks', vnet, 'subnets', subnet);
export const bastionId = (group: string, name: string) =>
  resourceId(group, 'Microsoft.Network/bastionHosts', name);
export const loadBalancerId = (name: string) => resourceId(VM_GROUP, 'Microsoft.Network/loadBalancers', name);
export const jitPolicyId = (name: string) =>
  resourceId(VM_GROUP, `Microsoft.Security/locations/${LOCATION}/jitNetworkAccessPolicies`, name);
