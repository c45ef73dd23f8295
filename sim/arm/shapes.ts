/**
 * The ARM bodies the simulation serves, typed after the REST examples in test/fixtures/azure-rest-examples
 * (and Azure's spec for the load balancer, which has no example there). The world stores these objects and
 * mutates them in place, so every GET reflects every change.
 */

export interface Ref {
  id: string;
}

export type PowerState = 'running' | 'starting' | 'stopped' | 'stopping' | 'deallocated' | 'deallocating';

export interface InstanceViewStatus {
  code: string;
  level: 'Info';
  displayStatus: string;
  message?: string;
  time?: string;
}

export interface VirtualMachine {
  name: string;
  id: string;
  type: 'Microsoft.Compute/virtualMachines';
  location: string;
  tags: Record<string, string>;
  etag: string;
  properties: {
    vmId: string;
    hardwareProfile: { vmSize: string };
    storageProfile: {
      imageReference: { publisher: string; offer: string; sku: string; version: string };
      osDisk: {
        osType: 'Windows' | 'Linux';
        name: string;
        createOption: 'FromImage';
        caching: 'ReadWrite';
        managedDisk: { storageAccountType: string; id: string };
        diskSizeGB: number;
      };
      dataDisks: never[];
    };
    osProfile: {
      computerName: string;
      adminUsername: string;
      windowsConfiguration?: { provisionVMAgent: boolean; enableAutomaticUpdates: boolean };
      linuxConfiguration?: { disablePasswordAuthentication: boolean; provisionVMAgent: boolean };
      secrets: never[];
    };
    networkProfile: { networkInterfaces: Array<{ id: string; properties?: { primary: boolean } }> };
    diagnosticsProfile: { bootDiagnostics: { enabled: boolean } };
    extensionsTimeBudget: string;
    provisioningState: 'Succeeded';
    timeCreated: string;
    instanceView?: VmInstanceView;
  };
}

export interface VmInstanceView {
  computerName?: string;
  osName?: string;
  osVersion?: string;
  vmAgent?: {
    vmAgentVersion: string;
    statuses: InstanceViewStatus[];
    extensionHandlers: never[];
  };
  disks: Array<{ name: string; statuses: InstanceViewStatus[] }>;
  hyperVGeneration: 'V2';
  isVMInStandbyPool: boolean;
  statuses: InstanceViewStatus[];
}

export interface IpConfiguration {
  name: string;
  id: string;
  properties: {
    provisioningState: 'Succeeded';
    privateIPAddress: string;
    privateIPAllocationMethod: 'Dynamic' | 'Static';
    publicIPAddress?: Ref;
    subnet: Ref;
    primary: boolean;
    privateIPAddressVersion: 'IPv4';
    loadBalancerInboundNatRules?: Ref[];
  };
}

export interface NetworkInterface {
  name: string;
  id: string;
  location: string;
  properties: {
    provisioningState: 'Succeeded';
    ipConfigurations: IpConfiguration[];
    dnsSettings: { dnsServers: string[]; appliedDnsServers: string[]; internalDomainNameSuffix: string };
    macAddress: string;
    enableAcceleratedNetworking: boolean;
    disableTcpStateTracking: boolean;
    enableIPForwarding: boolean;
    networkSecurityGroup?: Ref;
    primary: boolean;
    virtualMachine: Ref;
    vnetEncryptionSupported: boolean;
  };
  type: 'Microsoft.Network/networkInterfaces';
}

export interface PublicIpAddress {
  name: string;
  id: string;
  location: string;
  properties: {
    provisioningState: 'Succeeded';
    ipAddress?: string;
    publicIPAddressVersion: 'IPv4';
    publicIPAllocationMethod: 'Static' | 'Dynamic';
    idleTimeoutInMinutes: number;
    dnsSettings?: { domainNameLabel: string; fqdn: string };
    ipConfiguration: Ref;
    ddosSettings: { protectionMode: 'VirtualNetworkInherited' };
    ipTags: never[];
  };
  type: 'Microsoft.Network/publicIPAddresses';
}

export interface SecurityRuleProperties {
  provisioningState: 'Succeeded';
  description?: string;
  protocol: string;
  sourcePortRange?: string;
  sourcePortRanges?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  sourceApplicationSecurityGroups?: Ref[];
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
  destinationApplicationSecurityGroups?: Ref[];
  access: 'Allow' | 'Deny';
  priority: number;
  direction: 'Inbound' | 'Outbound';
}

export interface SecurityRule {
  name: string;
  id: string;
  properties: SecurityRuleProperties;
}

export interface NetworkSecurityGroup {
  name: string;
  id: string;
  type: 'Microsoft.Network/networkSecurityGroups';
  location: string;
  properties: {
    provisioningState: 'Succeeded';
    securityRules: SecurityRule[];
    defaultSecurityRules: SecurityRule[];
  };
}

export interface Subnet {
  id: string;
  name: string;
  properties: {
    addressPrefix: string;
    provisioningState: 'Succeeded';
    networkSecurityGroup?: Ref;
  };
}

export interface VirtualNetwork {
  name: string;
  id: string;
  type: 'Microsoft.Network/virtualNetworks';
  location: string;
  properties: {
    provisioningState: 'Succeeded';
    addressSpace: { addressPrefixes: string[] };
    subnets: Subnet[];
    virtualNetworkPeerings: VirtualNetworkPeering[];
    enableDdosProtection: boolean;
  };
}

/** As in network_VirtualNetworkPeerings_Get (2024-05-01). */
export interface VirtualNetworkPeering {
  name: string;
  id: string;
  type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';
  properties: {
    provisioningState: 'Succeeded';
    peeringState: 'Connected' | 'Initiated' | 'Disconnected';
    peeringSyncLevel: 'FullyInSync' | 'RemoteNotInSync' | 'LocalNotInSync';
    remoteVirtualNetwork: Ref;
    allowVirtualNetworkAccess: boolean;
    allowForwardedTraffic: boolean;
    allowGatewayTransit: boolean;
    useRemoteGateways: boolean;
    remoteAddressSpace: { addressPrefixes: string[] };
    remoteVirtualNetworkAddressSpace: { addressPrefixes: string[] };
  };
}

/** As in BastionHostGet.json (2024-05-01); the Developer SKU has `virtualNetwork` instead of ipConfigurations. */
export interface BastionHost {
  name: string;
  id: string;
  type: 'Microsoft.Network/bastionHosts';
  location: string;
  sku: { name: 'Basic' | 'Standard' | 'Premium' | 'Developer' };
  properties: {
    provisioningState: string;
    dnsName: string;
    scaleUnits: number;
    disableCopyPaste: boolean;
    enableFileCopy: boolean;
    enableIpConnect: boolean;
    enableShareableLink: boolean;
    enableTunneling: boolean;
    enableKerberos: boolean;
    ipConfigurations: Array<{
      name: string;
      id: string;
      type: 'Microsoft.Network/bastionHosts/bastionHostIpConfigurations';
      properties: {
        provisioningState: 'Succeeded';
        privateIPAllocationMethod: 'Dynamic';
        subnet: Ref;
        publicIPAddress: Ref;
      };
    }>;
  };
}

export interface FrontendIpConfiguration {
  name: string;
  id: string;
  type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations';
  properties: {
    provisioningState: 'Succeeded';
    privateIPAllocationMethod: 'Dynamic';
    publicIPAddress: Ref;
    inboundNatRules: Ref[];
  };
}

export interface InboundNatRule {
  name: string;
  id: string;
  type: 'Microsoft.Network/loadBalancers/inboundNatRules';
  properties: {
    provisioningState: 'Succeeded';
    frontendIPConfiguration: Ref;
    frontendPort: number;
    backendPort: number;
    protocol: 'Tcp' | 'Udp' | 'All';
    enableFloatingIP: boolean;
    idleTimeoutInMinutes: number;
    enableTcpReset: boolean;
    backendIPConfiguration: Ref;
  };
}

export interface LoadBalancer {
  name: string;
  id: string;
  type: 'Microsoft.Network/loadBalancers';
  location: string;
  sku: { name: 'Standard'; tier: 'Regional' };
  properties: {
    provisioningState: 'Succeeded';
    frontendIPConfigurations: FrontendIpConfiguration[];
    backendAddressPools: never[];
    loadBalancingRules: never[];
    probes: never[];
    inboundNatRules: InboundNatRule[];
    outboundRules: never[];
    inboundNatPools: never[];
  };
}

export interface JitPolicyPort {
  number: number;
  protocol: '*' | 'TCP' | 'UDP';
  allowedSourceAddressPrefix?: string;
  allowedSourceAddressPrefixes?: string[];
  maxRequestAccessDuration: string;
}

export interface JitRequestPort {
  number: number;
  allowedSourceAddressPrefix?: string;
  allowedSourceAddressPrefixes?: string[];
  endTimeUtc: string;
  status: 'Initiated' | 'Revoked' | 'Initiating';
  statusReason: 'UserRequested' | 'Expired' | 'NewerRequestInitiated';
}

export interface JitRequest {
  virtualMachines: Array<{ id: string; ports: JitRequestPort[] }>;
  startTimeUtc: string;
  requestor: string;
  justification?: string;
}

export interface JitPolicy {
  kind: 'Basic';
  properties: {
    virtualMachines: Array<{ id: string; ports: JitPolicyPort[] }>;
    requests: JitRequest[];
    provisioningState: 'Succeeded';
  };
  id: string;
  name: string;
  type: 'Microsoft.Security/locations/jitNetworkAccessPolicies';
  location: string;
}

/** Any top-level resource the generic GET and LIST routes serve. */
export interface ArmResource {
  id: string;
  name: string;
}
