import { describe, expect, it } from 'vitest';
import type { AddedRule } from '../../../../extension/messages';
import { codeSpans, errorText } from '../../../../extension/ui/format';
import { expiryText, hostView, ruleRows } from '../../../../extension/ui/status-store';

const NOW = Date.UTC(2026, 4, 14, 12, 0, 0);
const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('status texts', () => {
  it('describes a host with and without a default client', () => {
    const host = (defaultClient: 'remmina' | null) => ({
      ok: true as const,
      host: {
        version: '0.1.0',
        platform: 'linux' as const,
        clients: [{ id: 'remmina' as const, name: 'Remmina 1.4', available: true }],
        defaultClient,
      },
    });
    expect(hostView(host('remmina'))).toEqual({
      state: 'ok',
      version: '0.1.0',
      defaultClient: 'Remmina 1.4',
    });
    expect(hostView(host(null))).toEqual({ state: 'ok', version: '0.1.0', defaultClient: null });
    const advice = {
      code: 'E_HOST_MISSING' as const,
      message: 'Install the companion host: `npx rdp-now install`.',
    };
    expect(hostView({ ok: false, error: advice })).toEqual({ state: 'error', message: advice.message });
  });

  it('says when a rule expires or expired', () => {
    expect(expiryText(new Date(NOW + 40 * M).toISOString(), NOW)).toBe('expires in 40 minutes');
    expect(expiryText(new Date(NOW - 5 * M).toISOString(), NOW)).toBe('expired 5 minutes ago');
    expect(expiryText('soon', NOW)).toBe('expires soon');
  });

  it('lists rules by NSG name', () => {
    const rule: AddedRule = {
      vmId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      nsgId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/vm1-nsg',
      ruleName: 'rdp-now-203-0-113-7',
      sourceIp: '203.0.113.7',
      expires: new Date(NOW + H).toISOString(),
    };
    expect(ruleRows([rule], NOW)).toEqual([
      {
        key: `${rule.nsgId.toLowerCase()}|rdp-now-203-0-113-7`,
        nsgId: rule.nsgId,
        nsgName: 'vm1-nsg',
        ruleName: 'rdp-now-203-0-113-7',
        sourceIp: '203.0.113.7',
        expiry: 'expires in 1 hour',
        expired: false,
      },
    ]);
    // Still listed past its expiry: the background could not remove it, the row says so.
    expect(ruleRows([rule], NOW + 2 * H)[0]).toMatchObject({ expiry: 'expired 1 hour ago', expired: true });
  });

  it('shows commands in advice as code', () => {
    expect(codeSpans('Run `rdp-now install`, then retry.')).toEqual([
      { code: false, text: 'Run ' },
      { code: true, text: 'rdp-now install' },
      { code: false, text: ', then retry.' },
    ]);
    expect(codeSpans('An odd ` backtick')).toEqual([{ code: false, text: 'An odd ` backtick' }]);
  });

  it('turns a lost background into one sentence', () => {
    expect(errorText(new Error('Could not establish connection. Receiving end does not exist.'))).toMatch(
      /^RDP now's background did not answer/,
    );
    expect(errorText(new Error('Sign in first.'))).toBe('Sign in first.');
    expect(errorText('weird')).toMatch(/background did not answer/);
  });
});
