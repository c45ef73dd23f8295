import { describe, expect, it } from 'vitest';
import {
  type AzureCloudName,
  isGuid,
  isResourceGroupName,
  isVmName,
  parsePortalUrl,
  parseVmResourceId,
  parseVmTarget,
  resourceIdKey,
  type VmResourceId,
  vmResourceId,
} from '../../../shared/resource-id';

const SUB = '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f';
const SUB_UPPER = SUB.toUpperCase();
const TENANT_GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const VM_PATH = `/subscriptions/${SUB}/resourceGroups/rg-prod-weu/providers/Microsoft.Compute/virtualMachines/vm-web-01`;
const VM: VmResourceId = {
  subscriptionId: SUB,
  resourceGroup: 'rg-prod-weu',
  name: 'vm-web-01',
  id: VM_PATH,
};
const vmIn = (resourceGroup: string, name: string, subscriptionId = SUB): VmResourceId => ({
  subscriptionId,
  resourceGroup,
  name,
  id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${name}`,
});
/** The portal writes ids in blade and view fragments with encodeURIComponent. */
const enc = encodeURIComponent;

describe('parseVmResourceId', () => {
  it.each<[string, VmResourceId]>([
    [VM_PATH, VM],
    [VM_PATH.slice(1), VM], // no leading slash
    [`${VM_PATH}/`, VM],
    [`${VM_PATH}/overview`, VM],
    [`${VM_PATH}/connect`, VM],
    [`${VM_PATH}/extensions/AzureMonitorWindowsAgent`, VM],
    [`${VM_PATH}/providers/Microsoft.Insights/diagnosticSettings/default`, VM],
    [
      `/SUBSCRIPTIONS/${SUB_UPPER}/RESOURCEGROUPS/rg-prod-weu/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/vm-web-01`,
      VM,
    ],
    [
      `/subscriptions/${SUB}/resourcegroups/rg-prod-weu/providers/microsoft.compute/virtualmachines/vm-web-01`,
      VM,
    ],
    // Names keep their own casing: only the fixed segments and the GUID are normalised.
    [
      `/subscriptions/${SUB}/resourceGroups/RG-Prod/providers/Microsoft.Compute/virtualMachines/WinServer2022`,
      vmIn('RG-Prod', 'WinServer2022'),
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg.(test)_1-a/providers/Microsoft.Compute/virtualMachines/vm_1.linux-a`,
      vmIn('rg.(test)_1-a', 'vm_1.linux-a'),
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/réseau/providers/Microsoft.Compute/virtualMachines/vm1`,
      vmIn('réseau', 'vm1'),
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/${'r'.repeat(90)}/providers/Microsoft.Compute/virtualMachines/${'v'.repeat(64)}`,
      vmIn('r'.repeat(90), 'v'.repeat(64)),
    ],
    [`/subscriptions/${SUB}/resourceGroups/a/providers/Microsoft.Compute/virtualMachines/b`, vmIn('a', 'b')],
  ])('%s', (text, expected) => {
    expect(parseVmResourceId(text)).toEqual(expected);
  });

  const base = `/subscriptions/${SUB}/resourceGroups/rg`;
  it.each([
    ['', 'empty'],
    ['/', 'a slash'],
    [`/subscriptions/${SUB}`, 'a subscription'],
    [`${base}`, 'a resource group'],
    [`${base}/providers/Microsoft.Compute`, 'a provider'],
    [`${base}/providers/Microsoft.Compute/virtualMachines`, 'no VM name'],
    [`${base}/providers/Microsoft.Compute/virtualMachines/`, 'an empty VM name'],
    [`${base}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1`, 'a scale set'],
    [
      `${base}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1/virtualMachines/0`,
      'a scale-set instance',
    ],
    [`${base}/providers/Microsoft.Compute/disks/vm1_OsDisk_1_0123456789abcdef`, 'a disk'],
    [`${base}/providers/Microsoft.Compute/availabilitySets/as1`, 'an availability set'],
    [`${base}/providers/Microsoft.ClassicCompute/virtualMachines/vm1`, 'a classic VM'],
    [`${base}/providers/Microsoft.Network/networkInterfaces/vm1-nic`, 'a NIC'],
    [`${base}/providers/Microsoft.Compute/virtualMachines2/vm1`, 'a look-alike type'],
    [
      `/subscription/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'misspelt segment',
    ],
    [
      `//subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'double slash',
    ],
    [
      `/resourceGroups/rg/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines/vm1`,
      'segments out of order',
    ],
    [
      `/subscriptions/${SUB.slice(0, -1)}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'short GUID',
    ],
    [`/subscriptions/${SUB}0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`, 'long GUID'],
    [
      `/subscriptions/{${SUB}}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'braced GUID',
    ],
    [
      `/subscriptions/${SUB.replaceAll('-', '')}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'GUID without hyphens',
    ],
    [
      '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6g/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      'non-hex GUID',
    ],
    [
      '/subscriptions/my-subscription/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      'a subscription name',
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg./providers/Microsoft.Compute/virtualMachines/vm1`,
      'RG ending in .',
    ],
    [
      `/subscriptions/${SUB}/resourceGroups/rg 1/providers/Microsoft.Compute/virtualMachines/vm1`,
      'RG with a space',
    ],
    [`/subscriptions/${SUB}/resourceGroups/rg!/providers/Microsoft.Compute/virtualMachines/vm1`, 'RG with !'],
    [
      `/subscriptions/${SUB}/resourceGroups/${'r'.repeat(91)}/providers/Microsoft.Compute/virtualMachines/vm1`,
      'RG of 91 characters',
    ],
    [`${base}/providers/Microsoft.Compute/virtualMachines/vm 1`, 'VM name with a space'],
    [`${base}/providers/Microsoft.Compute/virtualMachines/vm1.`, 'VM name ending in .'],
    [`${base}/providers/Microsoft.Compute/virtualMachines/vm:1`, 'VM name with :'],
    [`${base}/providers/Microsoft.Compute/virtualMachines/vm%201`, 'VM name still URL-encoded'],
    [`${base}/providers/Microsoft.Compute/virtualMachines/${'v'.repeat(65)}`, 'VM name of 65 characters'],
    [` ${VM_PATH}`, 'leading space'],
    [`${VM_PATH}?api-version=2024-07-01`, 'a query string'],
  ])('refuses %j (%s)', (text) => {
    expect(parseVmResourceId(text)).toBeNull();
  });
});

describe('parsePortalUrl', () => {
  type Expected = { vm: VmResourceId; tenant?: string; cloud: AzureCloudName };
  const azure = (tenant?: string): Expected =>
    tenant ? { vm: VM, tenant, cloud: 'AzureCloud' } : { vm: VM, cloud: 'AzureCloud' };

  it.each<[string, Expected]>([
    // 1. #@tenant/resource/{id}[/menu]
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_PATH}/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_PATH}/connect`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_PATH}/networking`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com/#@contoso.com/resource${VM_PATH}`, azure('contoso.com')],
    [`https://portal.azure.com/#@${TENANT_GUID}/resource${VM_PATH}/overview`, azure(TENANT_GUID)],
    [`https://portal.azure.com/#@${TENANT_GUID.toUpperCase()}/resource${VM_PATH}`, azure(TENANT_GUID)],
    [
      `https://ms.portal.azure.com/#@microsoft.onmicrosoft.com/resource${VM_PATH}/overview`,
      azure('microsoft.onmicrosoft.com'),
    ],
    [
      `https://preview.portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_PATH}/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com/#@fabrikam.co.uk/resource${VM_PATH}/`, azure('fabrikam.co.uk')],
    [
      `https://portal.azure.com/#@Contoso.OnMicrosoft.com/resource${VM_PATH}/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    // 2. #resource/{id}
    [`https://portal.azure.com/#resource${VM_PATH}`, azure()],
    [`https://portal.azure.com/#resource${VM_PATH}/overview`, azure()],
    [`https://portal.azure.com/#resource${VM_PATH}/extensions/AzureMonitorWindowsAgent`, azure()],
    // 3. #blade/…/id/{encoded id}[/menuid/{menu}]
    [`https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}`, azure()],
    [
      `https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}/menuid/connect`,
      azure(),
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.com/#blade/hubsextension/resourcemenublade/ID/${enc(VM_PATH).replaceAll('%2F', '%2f')}`,
      azure(),
    ],
    [
      `https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${VM_PATH}/menuid/overview`,
      azure(),
    ], // unencoded
    // 4. #view/…/id/{encoded id}
    [`https://portal.azure.com/#view/HubsExtension/ResourceMenuBlade/~/overview/id/${enc(VM_PATH)}`, azure()],
    [`https://portal.azure.com/#view/HubsExtension/ResourceMenuBlade/~/connect/id/${enc(VM_PATH)}`, azure()],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/view/HubsExtension/ResourceMenuBlade/~/overview/id/${enc(VM_PATH)}`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com/#VIEW/HubsExtension/ResourceMenuBlade/~/overview/Id/${enc(VM_PATH)}`, azure()],
    // A query string before the fragment; any casing of host and fixed segments; the default port written out.
    [
      `https://portal.azure.com/?feature.customportal=false&l=en.en-us#@contoso.onmicrosoft.com/resource${VM_PATH}/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com/?Microsoft_Azure_Compute=true#resource${VM_PATH}`, azure()],
    [
      `HTTPS://PORTAL.AZURE.COM/#@CONTOSO.ONMICROSOFT.COM/RESOURCE/SUBSCRIPTIONS/${SUB_UPPER}/RESOURCEGROUPS/rg-prod-weu/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/vm-web-01/OVERVIEW`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/resourcegroups/rg-prod-weu/providers/microsoft.compute/virtualmachines/vm-web-01/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com:443/#resource${VM_PATH}`, azure()],
    [`https://portal.azure.com#resource${VM_PATH}`, azure()],
    // An empty tenant (azd, Logic Apps): the user's default directory.
    [`https://portal.azure.com/#@/resource${VM_PATH}`, azure()],
    [`https://portal.azure.com/#@/resource${VM_PATH}/overview`, azure()],
    [`https://ms.portal.azure.com/#@/blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}`, azure()],
    [`https://portal.azure.us/#@/resource${VM_PATH}/overview`, { vm: VM, cloud: 'AzureUSGovernment' }],
    [`https://portal.azure.cn/#@/resource${VM_PATH}`, { vm: VM, cloud: 'AzureChinaCloud' }],
    // The directory in the path (the portal's documented deep links): it picks the tenant.
    [`https://portal.azure.com/contoso.onmicrosoft.com#resource${VM_PATH}`, azure('contoso.onmicrosoft.com')],
    [
      `https://portal.azure.com/Contoso.OnMicrosoft.com/#resource${VM_PATH}/overview`,
      azure('contoso.onmicrosoft.com'),
    ],
    [`https://portal.azure.com/${TENANT_GUID.toUpperCase()}#resource${VM_PATH}`, azure(TENANT_GUID)],
    [
      `https://portal.azure.com/contoso.onmicrosoft.com#@/resource${VM_PATH}`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.com/contoso.onmicrosoft.com#@fabrikam.com/resource${VM_PATH}`,
      azure('fabrikam.com'),
    ],
    [
      `https://portal.azure.com/contoso.onmicrosoft.com?l=en.en-us#blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}`,
      azure('contoso.onmicrosoft.com'),
    ],
    [
      `https://portal.azure.us/contoso.onmicrosoft.us#resource${VM_PATH}`,
      { vm: VM, tenant: 'contoso.onmicrosoft.us', cloud: 'AzureUSGovernment' },
    ],
    [
      `https://portal.azure.cn/contoso.partner.onmschina.cn#view/HubsExtension/ResourceMenuBlade/~/overview/id/${enc(VM_PATH)}`,
      { vm: VM, tenant: 'contoso.partner.onmschina.cn', cloud: 'AzureChinaCloud' },
    ],
    // Sovereign clouds.
    [
      `https://portal.azure.us/#@contoso.onmicrosoft.us/resource${VM_PATH}/overview`,
      { vm: VM, tenant: 'contoso.onmicrosoft.us', cloud: 'AzureUSGovernment' },
    ],
    [
      `https://portal.azure.us/#blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}`,
      { vm: VM, cloud: 'AzureUSGovernment' },
    ],
    [
      `https://portal.azure.cn/#@contoso.partner.onmschina.cn/resource${VM_PATH}/overview`,
      { vm: VM, tenant: 'contoso.partner.onmschina.cn', cloud: 'AzureChinaCloud' },
    ],
    [
      `https://portal.azure.cn/#view/HubsExtension/ResourceMenuBlade/~/overview/id/${enc(VM_PATH)}`,
      { vm: VM, cloud: 'AzureChinaCloud' },
    ],
  ])('%s', (url, expected) => {
    expect(parsePortalUrl(url)).toEqual(expected);
  });

  it('decodes names the browser percent-encoded in the fragment', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/réseau-(prod)/providers/Microsoft.Compute/virtualMachines/vm1`;
    const expected = { vm: vmIn('réseau-(prod)', 'vm1'), cloud: 'AzureCloud' };
    expect(parsePortalUrl(`https://portal.azure.com/#resource${id}/overview`)).toEqual(expected);
    expect(parsePortalUrl(new URL(`https://portal.azure.com/#resource${id}/overview`).href)).toEqual(
      expected,
    );
    expect(
      parsePortalUrl(`https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${enc(id)}`),
    ).toEqual(expected);
  });

  const vmss = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-web`;
  it.each([
    // Not a single VM.
    [`https://portal.azure.com/#@contoso.onmicrosoft.com/resource${vmss}/overview`, 'a scale set'],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${vmss}/virtualMachines/0/overview`,
      'a scale-set instance',
    ],
    [
      `https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${enc(`${vmss}/virtualMachines/3`)}`,
      'an encoded scale-set instance',
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/disks/vm1_OsDisk_1_0123456789abcdef/overview`,
      'a disk',
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/vm1-ip/overview`,
      'a public IP',
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/resourceGroups/rg/overview`,
      'a resource group',
    ],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/${SUB}/overview`,
      'a subscription',
    ],
    ['https://portal.azure.com/#browse/Microsoft.Compute%2FVirtualMachines', 'the VM list'],
    [
      'https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Compute%2FVirtualMachines',
      'the VM list view',
    ],
    [
      'https://portal.azure.com/#blade/HubsExtension/BrowseResourceBlade/resourceType/Microsoft.Compute%2FVirtualMachines',
      'the VM list blade',
    ],
    ['https://portal.azure.com/#create/Microsoft.VirtualMachine-ARM', 'the create wizard'],
    ['https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade', 'a blade without id'],
    [`https://portal.azure.com/#blade/id/${enc(VM_PATH)}`, '"id" where the extension name stands'],
    ['https://portal.azure.com/#home', 'home'],
    ['https://portal.azure.com/', 'no fragment'],
    [`https://portal.azure.com/?id=${enc(VM_PATH)}#home`, 'the id in the query'],
    [`https://portal.azure.com/#${VM_PATH}`, 'an id without "resource"'],
    // Not the portal.
    [`https://portal.azure.com.evil.example/#resource${VM_PATH}`, 'a look-alike host'],
    [`https://ms.portal.azure.com.evil.example/#resource${VM_PATH}`, 'a look-alike ms host'],
    [`https://evil.example/#resource${VM_PATH}`, 'another host'],
    [`https://evil.example/?next=https://portal.azure.com/#resource${VM_PATH}`, 'the portal in a query'],
    [`https://portal.azure.com@evil.example/#resource${VM_PATH}`, 'the portal as user info'],
    [`https://user:pass@portal.azure.com/#resource${VM_PATH}`, 'credentials'],
    [`https://evilportal.azure.com/#resource${VM_PATH}`, 'a prefix'],
    [`https://x.portal.azure.com/#resource${VM_PATH}`, 'an unknown subdomain'],
    [`https://portal.azure.com./#resource${VM_PATH}`, 'a trailing-dot host'],
    [`https://portal.azure.co/#resource${VM_PATH}`, 'another TLD'],
    [`https://portal-azure.com/#resource${VM_PATH}`, 'a hyphenated host'],
    [`https://portal.azure.com.cn/#resource${VM_PATH}`, 'the wrong China host'],
    [`https://abc.reactblade.portal.azure.net/#resource${VM_PATH}`, 'a blade iframe host'],
    [`https://management.azure.com${VM_PATH}?api-version=2024-07-01`, 'the ARM endpoint'],
    [`https://portal.azure.com:8443/#resource${VM_PATH}`, 'a non-default port'],
    [`https://portal.azure.com/evil/#resource${VM_PATH}`, 'another path'],
    [`http://portal.azure.com/#resource${VM_PATH}`, 'plain http'],
    [`javascript:alert(1)//https://portal.azure.com/#resource${VM_PATH}`, 'javascript:'],
    [`JavaScript://portal.azure.com/%0Aalert(1)#resource${VM_PATH}`, 'javascript: with a host-like part'],
    [`data:text/html,https://portal.azure.com/#resource${VM_PATH}`, 'data:'],
    [`portal.azure.com/#resource${VM_PATH}`, 'no scheme'],
    ['', 'empty'],
    ['not a url', 'not a URL'],
    // Malformed parts.
    [
      `https://portal.azure.com/#resource/subscriptions/${SUB.slice(0, -1)}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'a short GUID',
    ],
    [
      `https://portal.azure.com/#resource/subscriptions/${SUB.replace('-', '')}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'a GUID missing a hyphen',
    ],
    [
      `https://portal.azure.com/#resource/subscriptions/${SUB.replace('6', 'z')}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`,
      'a non-hex GUID',
    ],
    [`https://portal.azure.com/contoso/#resource${VM_PATH}`, 'a directory that is not a tenant'],
    [`https://portal.azure.com/contoso.onmicrosoft.com/x#resource${VM_PATH}`, 'a directory and more path'],
    [`https://portal.azure.com/..%2Fx.com#resource${VM_PATH}`, 'an encoded slash in the directory'],
    [`https://portal.azure.com/a%20b.com#resource${VM_PATH}`, 'a space in the directory'],
    [`https://portal.azure.com/#@../resource${VM_PATH}`, 'a tenant of dots'],
    [`https://portal.azure.com/#@contoso/resource${VM_PATH}`, 'a tenant without a dot'],
    [`https://portal.azure.com/#@con_toso.com/resource${VM_PATH}`, 'a tenant with an underscore'],
    [`https://portal.azure.com/#@${TENANT_GUID.slice(1)}/resource${VM_PATH}`, 'a malformed tenant GUID'],
    ['https://portal.azure.com/#@contoso.onmicrosoft.com', 'a tenant and nothing else'],
    [
      `https://portal.azure.com/#blade/HubsExtension/ResourceMenuBlade/id/${enc(VM_PATH)}%E0%A4%A`,
      'broken percent-encoding',
    ],
    [
      `https://portal.azure.com/#resource${VM_PATH.replace('vm-web-01', 'vm%20web')}`,
      'a VM name with a space',
    ],
    [`https://portal.azure.com/#resource/${VM_PATH}`, 'a double slash'],
  ])('refuses %s (%s)', (url) => {
    expect(parsePortalUrl(url)).toBeNull();
  });
});

describe('parseVmTarget', () => {
  it.each<[string, ReturnType<typeof parseVmTarget>]>([
    [VM_PATH, { vm: VM }],
    [`  ${VM_PATH}/overview\n`, { vm: VM }],
    [VM_PATH.toLowerCase(), { vm: vmIn('rg-prod-weu', 'vm-web-01') }],
    [
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM_PATH}/overview`,
      { vm: VM, tenant: 'contoso.onmicrosoft.com', cloud: 'AzureCloud' },
    ],
    [` https://portal.azure.us/#resource${VM_PATH} `, { vm: VM, cloud: 'AzureUSGovernment' }],
    [`HTTPS://portal.azure.com/#resource${VM_PATH}`, { vm: VM, cloud: 'AzureCloud' }],
    ['10.0.0.4:3389', null],
    ['vm-web-01', null],
    [`http://portal.azure.com/#resource${VM_PATH}`, null],
    [`javascript:alert(1)//${VM_PATH}`, null],
    [`https://portal.azure.com.evil.example/#resource${VM_PATH}`, null],
    [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/0`,
      null,
    ],
    ['', null],
  ])('%j', (text, expected) => {
    expect(parseVmTarget(text)).toEqual(expected);
  });
});

describe('helpers', () => {
  it('vmResourceId writes the canonical casing', () => {
    expect(vmResourceId(SUB, 'rg-prod-weu', 'vm-web-01')).toBe(VM_PATH);
  });

  it('the parsed id parses back to the same VM', () => {
    const parsed = parsePortalUrl(
      `https://portal.azure.com/#blade/hubsextension/resourcemenublade/id/${enc(VM_PATH.toUpperCase())}`,
    );
    expect(parsed?.vm.id).toBe(
      `/subscriptions/${SUB}/resourceGroups/RG-PROD-WEU/providers/Microsoft.Compute/virtualMachines/VM-WEB-01`,
    );
    expect(parsed && parseVmResourceId(parsed.vm.id)).toEqual(parsed?.vm);
  });

  it('resourceIdKey ignores casing, as ARM does', () => {
    expect(resourceIdKey(VM_PATH.toUpperCase())).toBe(resourceIdKey(VM_PATH));
    expect(resourceIdKey(VM_PATH.replace('vm-web-01', 'vm-web-02'))).not.toBe(resourceIdKey(VM_PATH));
  });

  it.each([
    [SUB, true],
    [SUB_UPPER, true],
    [`{${SUB}}`, false],
    [SUB.slice(0, -1), false],
    ['00000000-0000-0000-0000-00000000000g', false],
  ])('isGuid(%j) is %s', (text, expected) => {
    expect(isGuid(text)).toBe(expected);
  });

  it.each([
    ['rg', true],
    ['Rg_1-(a).b', true],
    ['r'.repeat(90), true],
    ['r'.repeat(91), false],
    ['rg.', false],
    ['', false],
    ['rg/x', false],
  ])('isResourceGroupName(%j) is %s', (text, expected) => {
    expect(isResourceGroupName(text)).toBe(expected);
  });

  it.each([
    ['vm1', true],
    ['vm_1.a-b', true],
    ['v'.repeat(64), true],
    ['v'.repeat(65), false],
    ['vm1.', false],
    ['vm 1', false],
    ['vm(1)', false],
    ['', false],
  ])('isVmName(%j) is %s', (text, expected) => {
    expect(isVmName(text)).toBe(expected);
  });
});
