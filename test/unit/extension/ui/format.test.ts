import { describe, expect, it } from 'vitest';
import { portalVmUrl, relativeTime, resourceName, shortSubscription } from '../../../../extension/ui/format';

const NOW = Date.UTC(2026, 4, 14, 12, 0, 0);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('relativeTime', () => {
  it.each<[number, string]>([
    [0, 'just now'],
    [-44 * S, 'just now'],
    [-50 * S, '1 minute ago'],
    [-5 * M, '5 minutes ago'],
    [-59 * M - 59 * S, '59 minutes ago'],
    [-H, '1 hour ago'],
    [-23 * H, '23 hours ago'],
    [-D, 'yesterday'],
    [-36 * H, 'yesterday'],
    [-3 * D, '3 days ago'],
    [-45 * D, 'last month'],
    [-100 * D, '3 months ago'],
    [-400 * D, 'last year'],
    [-800 * D, '2 years ago'],
    [20 * S, 'in less than a minute'],
    [40 * M, 'in 40 minutes'],
    [2 * H + 5 * M, 'in 2 hours'],
    [D, 'tomorrow'],
  ])('%d ms from now → %s', (offset, text) => {
    expect(relativeTime(NOW + offset, NOW)).toBe(text);
  });
});

describe('short forms', () => {
  it('shortens a subscription GUID to its first block', () => {
    expect(shortSubscription('6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f')).toBe('6b1b3f2e…');
    expect(shortSubscription('plain')).toBe('plain');
  });

  it('takes a resource’s name from its id', () => {
    const nsg =
      '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/vm1-nsg';
    expect(resourceName(nsg)).toBe('vm1-nsg');
    expect(resourceName(`${nsg}/`)).toBe('vm1-nsg');
  });
});

describe('portalVmUrl', () => {
  const id =
    '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm1';

  it('links the VM in its tenant on its cloud’s portal', () => {
    expect(portalVmUrl(id, 'AzureCloud', 'contoso.onmicrosoft.com')).toBe(
      `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${id}`,
    );
    expect(portalVmUrl(id, 'AzureUSGovernment', 'contoso.onmicrosoft.us')).toBe(
      `https://portal.azure.us/#@contoso.onmicrosoft.us/resource${id}`,
    );
    expect(portalVmUrl(id, 'AzureChinaCloud')).toBe(`https://portal.azure.cn/#resource${id}`);
  });

  it('writes the canonical id and refuses anything that is not a VM', () => {
    expect(portalVmUrl(id.toUpperCase().replace('SUBSCRIPTIONS', 'subscriptions'), 'AzureCloud')).toContain(
      '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/RG-PROD/providers/Microsoft.Compute/virtualMachines/VM1',
    );
    expect(portalVmUrl('javascript:alert(1)', 'AzureCloud')).toBeNull();
    expect(portalVmUrl(`${id.replace('virtualMachines', 'disks')}`, 'AzureCloud')).toBeNull();
  });

  it('encodes a tenant so it cannot change the link', () => {
    expect(portalVmUrl(id, 'AzureCloud', 'a/b#c')).toBe(`https://portal.azure.com/#@a%2Fb%23c/resource${id}`);
  });
});
