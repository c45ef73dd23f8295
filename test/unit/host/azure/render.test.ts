/** host/azure/render.ts: the nsg layers of the human report. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../../host/azure/render';
import type { CheckReport, NsgLayerDetail } from '../../../../shared/checks/report';

const NSG = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/vm1-nsg';

function report(subnet: NsgLayerDetail, nic: NsgLayerDetail): CheckReport {
  return {
    vm: {
      id: '/x',
      name: 'vm1',
      resourceGroup: 'rg',
      subscriptionId: 's',
      location: 'westeurope',
      powerState: 'running',
    },
    target: { address: '20.1.2.3', port: 3389, via: 'public-ip', fqdn: null },
    sourceIp: '203.0.113.7',
    checks: [
      {
        id: 'nsg',
        status: 'unknown',
        summary: 'The subnet could not be read.',
        fixes: [],
        detail: { subnet, nic },
      },
    ],
    ready: false,
  };
}

describe('renderReport: NSG layers', () => {
  it('a layer not read or judged is unknown, never "no NSG" (which would mean it allows)', () => {
    const text = renderReport(
      report({ nsgId: null, access: null, rule: null }, { nsgId: NSG, access: null, rule: null }),
      '',
    );
    expect(text).toMatch(/subnet: unknown; NIC: vm1-nsg \(unknown\)/);
  });

  it('no NSG attached, and an NSG that decided by a rule', () => {
    const text = renderReport(
      report(
        { nsgId: null, access: 'Allow', rule: null },
        { nsgId: NSG, access: 'Deny', rule: 'DenyAllInBound' },
      ),
      '',
    );
    expect(text).toMatch(/subnet: no NSG; NIC: vm1-nsg denies by DenyAllInBound/);
  });
});
