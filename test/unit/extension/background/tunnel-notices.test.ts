import { describe, expect, it } from 'vitest';
import { Badge, badgeLook } from '../../../../extension/background/badge';
import { closedSentence, TunnelNotices } from '../../../../extension/background/tunnel-notices';
import type { TunnelNotice } from '../../../../extension/messages';
import { memoryArea } from '../../../support/session-area';

const VM = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-bastion';
const notice = (tunnel: string, vmId = VM): TunnelNotice => ({
  tunnel,
  vmId,
  vmName: 'vm-bastion',
  message: closedSentence('dropped', { vm: 'vm-bastion', bastion: 'bas-hub' }),
});

describe('tunnel notices', () => {
  it('says who dropped what, or that the host stopped', () => {
    const names = { vm: 'vm-bastion', bastion: 'bas-hub' };
    expect(closedSentence('dropped', names)).toBe(
      'The Bastion bas-hub dropped the connection to vm-bastion.',
    );
    expect(closedSentence('host-gone', names)).toBe(
      'The companion host stopped, which closed the tunnel to vm-bastion.',
    );
  });

  it('keeps one notice per VM (the newest), clears one by its tunnel, and reports every change', async () => {
    const seen: number[] = [];
    const notices = new TunnelNotices(memoryArea(), async (all) => void seen.push(all.length));
    await notices.add(notice('t1'));
    await notices.add(notice('t2', VM.toUpperCase()));
    await notices.add(notice('t3', `${VM}-2`));
    expect((await notices.list()).map((n) => n.tunnel)).toEqual(['t3', 't2']);
    expect((await notices.clear('t2')).map((n) => n.tunnel)).toEqual(['t3']);
    expect(seen).toEqual([1, 1, 2, 1]);
  });

  it('drops a damaged entry when reading, and keeps the valid ones', async () => {
    const area = memoryArea();
    await area.set({ tunnelNotices: [notice('ok'), { ...notice('bad'), message: 7 }, 'junk'] });
    const notices = new TunnelNotices(area, async () => undefined);
    expect((await notices.list()).map((n) => n.tunnel)).toEqual(['ok']);
    await area.set({ tunnelNotices: { not: 'a list' } });
    expect(await notices.list()).toEqual([]);
  });
});

describe('toolbar badge', () => {
  it('leads with a failed tunnel, counts expired rules, and says both in the tooltip', () => {
    expect(badgeLook({ closedTunnels: 0, expiredRules: 0 })).toEqual({ text: '', title: 'RDP now' });
    expect(badgeLook({ closedTunnels: 0, expiredRules: 2 })).toEqual({
      text: '2',
      title: 'RDP now: 2 expired network rules could not be removed; open to remove',
    });
    expect(badgeLook({ closedTunnels: 1, expiredRules: 1 })).toEqual({
      text: '!',
      title:
        'RDP now: a Bastion tunnel closed with an error; open to connect again; 1 expired network rule could not be removed; open to remove',
    });
  });

  it('reads the count a caller did not give from its store, so one source never blanks the other', async () => {
    const texts: string[] = [];
    const action = {
      setBadgeText: async ({ text }: { text: string }) => void texts.push(text),
      setBadgeBackgroundColor: async () => undefined,
      setTitle: async () => undefined,
    };
    let expired = 3;
    const badge = new Badge(action, { closedTunnels: async () => 0, expiredRules: async () => expired });
    await badge.show({ closedTunnels: 0 });
    await badge.show({ closedTunnels: 1 });
    expired = 0;
    await badge.show({ closedTunnels: 0 });
    expect(texts).toEqual(['3', '!', '']);
  });
});
