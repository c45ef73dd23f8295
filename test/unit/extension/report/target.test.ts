import { describe, expect, it } from 'vitest';
import { targetFromQuery } from '../../../../extension/report/target';

const SUB = '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f';
const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;

describe('targetFromQuery', () => {
  it('takes a VM resource id, in its canonical form', () => {
    const t = targetFromQuery(
      `?vm=${encodeURIComponent(VM_ID.toUpperCase().replace(SUB.toUpperCase(), SUB))}`,
    );
    expect('vm' in t && t.vm.name).toBe('VM1');
    expect('vm' in t && t.vm.subscriptionId).toBe(SUB);
  });

  it('takes a tenant (GUID or domain) and a cloud', () => {
    const t = targetFromQuery(
      `?vm=${encodeURIComponent(VM_ID)}&tenant=contoso.onmicrosoft.com&cloud=AzureUSGovernment`,
    );
    expect(t).toMatchObject({ tenant: 'contoso.onmicrosoft.com', cloud: 'AzureUSGovernment' });
    expect(targetFromQuery(`?vm=${encodeURIComponent(VM_ID)}&tenant=${SUB}`)).toMatchObject({ tenant: SUB });
  });

  it.each([
    ['', 'does not name an Azure virtual machine'],
    ['?vm=', 'does not name an Azure virtual machine'],
    ['?vm=vm1', 'does not name an Azure virtual machine'],
    [
      `?vm=${encodeURIComponent(VM_ID.replace('virtualMachines', 'virtualMachineScaleSets'))}`,
      'virtual machine',
    ],
    [
      `?vm=${encodeURIComponent(VM_ID)}&tenant=${encodeURIComponent('evil/../x')}`,
      'not a tenant ID or domain',
    ],
    [`?vm=${encodeURIComponent(VM_ID)}&cloud=Mars`, 'not one RDP now knows'],
  ])('refuses %j with one sentence', (search, text) => {
    const t = targetFromQuery(search);
    expect('error' in t && t.error).toContain(text);
  });
});
