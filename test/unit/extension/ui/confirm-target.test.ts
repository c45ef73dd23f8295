import { describe, expect, it } from 'vitest';
import { parseConfirmQuery } from '../../../../extension/ui/confirm-target';

describe('the confirm window’s target (context menu "RDP to <address>")', () => {
  it.each<[string, { host: string; port: number; display?: string; messageHost?: string }]>([
    ['?host=10.0.0.4', { host: '10.0.0.4', port: 3389, display: '10.0.0.4:3389', messageHost: '10.0.0.4' }],
    ['?host=10.0.0.4&port=3390', { host: '10.0.0.4', port: 3390, display: '10.0.0.4:3390' }],
    ['?host=10.0.0.4%3A50001', { host: '10.0.0.4', port: 50001, display: '10.0.0.4:50001' }],
    [
      '?host=VM1.Example.com',
      {
        host: 'vm1.example.com',
        port: 3389,
        display: 'vm1.example.com:3389',
        messageHost: 'vm1.example.com',
      },
    ],
    [
      '?host=2001:DB8:0::1',
      { host: '2001:db8::1', port: 3389, display: '[2001:db8::1]:3389', messageHost: '[2001:db8::1]' },
    ],
    [
      '?host=%5B2001%3Adb8%3A%3A1%5D%3A3390',
      { host: '2001:db8::1', port: 3390, display: '[2001:db8::1]:3390', messageHost: '[2001:db8::1]' },
    ],
    // As the background's context menu writes it: the IPv6 host unbracketed, the port apart.
    ['?host=2001%3Adb8%3A%3A1&port=3390', { host: '2001:db8::1', port: 3390, messageHost: '[2001:db8::1]' }],
    ['?host=10.0.0.4%3A3390&port=3390', { host: '10.0.0.4', port: 3390, display: '10.0.0.4:3390' }],
  ])('%s', (query, expected) => {
    expect(parseConfirmQuery(query)).toMatchObject({ ok: true, ...expected });
  });

  it.each([
    ['', 'No address was given to connect to.'],
    ['?port=3389', 'No address was given to connect to.'],
    ['?host=10.0.0.256', /not an address/],
    ['?host=010.0.0.4', /not an address/],
    ['?host=vm1.example.com/evil', /not an address/],
    ['?host=full%20address%3As%3Aevil', /not an address/],
    ['?host=-rf.example.com', /not an address/],
    ['?host=10.0.0.4&port=0', 'The port must be a number from 1 to 65535.'],
    ['?host=10.0.0.4&port=65536', 'The port must be a number from 1 to 65535.'],
    ['?host=10.0.0.4&port=33a', 'The port must be a number from 1 to 65535.'],
    ['?host=10.0.0.4%3A3390&port=3391', 'The address names port 3390 but the request asks for 3391.'],
  ])('refuses %s', (query, message) => {
    const result = parseConfirmQuery(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('quotes refused text printable and short', () => {
    const result = parseConfirmQuery(`?host=${encodeURIComponent(`evil\u202e${'x'.repeat(100)}`)}`);
    expect(result).toEqual({
      ok: false,
      message: `“evil?${'x'.repeat(55)}…” is not an address RDP now can connect to: select an IP address or host name and try again.`,
    });
  });
});
