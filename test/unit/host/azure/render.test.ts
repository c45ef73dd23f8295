/** host/azure/render.ts: the nsg layers of the human report. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../../host/azure/render';
import type { NsgLayerDetail } from '../../../../shared/checks/report';
import { checkReport } from '../../../support/reports';

const NSG = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/vm1-nsg';

const report = (subnet: NsgLayerDetail, nic: NsgLayerDetail) =>
  checkReport(false, [
    {
      id: 'nsg',
      status: 'unknown',
      summary: 'The subnet could not be read.',
      fixes: [],
      detail: { subnet, nic },
    },
  ]);

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
