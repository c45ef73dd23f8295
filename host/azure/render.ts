/** The human form of a check report: a pass/fail table with one sentence per check and how to fix it. Pure. */
import type { PlannedRule } from '../../shared/checks/fixes';
import type { CheckReport, FixId, NsgLayerDetail } from '../../shared/checks/report';

const FIX_HINTS: Record<FixId, string> = {
  'start-vm': '"rdp-now connect --fix" starts the VM',
  'request-jit': '"rdp-now connect --fix" requests just-in-time access for your IP',
  'add-nsg-rule': '"rdp-now connect --fix --add-nsg-rule" adds an allow rule for your IP alone',
  'use-private-ip': '"--private" connects to the private IP (over VPN or peering)',
};

const VIA: Record<string, string> = {
  'public-ip': 'public IP',
  'private-ip': 'private IP',
  'load-balancer-nat': 'load balancer NAT',
  bastion: 'Azure Bastion',
};

export function renderReport(report: CheckReport, sourceNote: string): string {
  const { vm, target } = report;
  const lines = [
    `VM:        ${vm.name} (resource group ${vm.resourceGroup}, ${vm.location}) — ${vm.powerState ?? 'power state unknown'}`,
    `Target:    ${
      target.via === null
        ? 'none'
        : `${target.address ?? '(no address yet)'}:${target.port} via ${VIA[target.via]}${target.fqdn ? ` (${target.fqdn})` : ''}${target.via === 'bastion' && target.bastion ? ` ${target.bastion.name}` : ''}`
    }`,
    `Source IP: ${report.sourceIp ?? 'unknown'}${sourceNote ? ` (${sourceNote})` : ''}`,
    '',
  ];
  for (const check of report.checks) {
    lines.push(`  ${check.status.toUpperCase().padEnd(8)} ${check.id.padEnd(8)} ${check.summary}`);
    if (check.detail) {
      lines.push(`${' '.repeat(20)}subnet: ${layer(check.detail.subnet)}; NIC: ${layer(check.detail.nic)}`);
    }
    for (const fix of check.fixes) lines.push(`${' '.repeat(20)}fix: ${FIX_HINTS[fix]}`);
  }
  lines.push('', report.ready ? 'Ready: yes' : 'Ready: no');
  return `${lines.join('\n')}\n`;
}

function layer(detail: NsgLayerDetail): string {
  // Access null first: a layer that could not be read or judged may not know its NSG either.
  if (detail.access === null)
    return detail.nsgId === null ? 'unknown' : `${detail.nsgId.split('/').pop()} (unknown)`;
  if (detail.nsgId === null) return 'no NSG';
  const name = detail.nsgId.split('/').pop();
  return `${name} ${detail.access === 'Allow' ? 'allows' : 'denies'} by ${detail.rule ?? '?'}`;
}

export function renderRule(rule: PlannedRule): string {
  const p = rule.properties;
  return `  ${rule.nsgName}: ${rule.name} — ${p.access} ${p.protocol} from ${p.sourceAddressPrefix} to ${p.destinationAddressPrefix}:${p.destinationPortRange}, priority ${p.priority}, ${p.direction.toLowerCase()} ("${p.description}")`;
}
