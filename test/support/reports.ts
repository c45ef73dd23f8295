/** Check reports for the tests of what shows one (the extension's pages, the CLI's text): by default of vm1. */
import type { Check, CheckReport } from '../../shared/checks/report';

export const SUB = '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f';
export const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;

type Over = Partial<Omit<CheckReport, 'vm' | 'checks' | 'ready'>> & { vm?: Partial<CheckReport['vm']> };

/**
 * A report with these checks and this verdict (given, not worked out from the checks: that is judge.ts's
 * job): running vm1 in rg, reached at its public IP 20.1.2.3:3389 from 203.0.113.7, unless `over` says else.
 */
export function checkReport(ready: boolean, checks: Check[], over: Over = {}): CheckReport {
  const { vm, ...rest } = over;
  return {
    vm: {
      id: VM_ID,
      name: 'vm1',
      resourceGroup: 'rg',
      subscriptionId: SUB,
      location: 'westeurope',
      powerState: 'running',
      ...vm,
    },
    target: { address: '20.1.2.3', port: 3389, via: 'public-ip', fqdn: null },
    sourceIp: '203.0.113.7',
    checks,
    ready,
    ...rest,
  };
}
