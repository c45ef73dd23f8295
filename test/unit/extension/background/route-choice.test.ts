/** The route chosen per VM: validated and stored from the report, then passed by the background as `via`. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));
// The pages' modules use the browser's own API (extension/ui/page-browser.ts), as Firefox names it.
vi.stubGlobal('browser', fakeBrowser);

const { checkOptions } = await import('../../../../extension/background/azure-session');
const { parseSettings } = await import('../../../../extension/settings');
const { readRoute, saveRoute } = await import('../../../../extension/ui/route-store');
const { validateRoute } = await import('../../../../extension/ui/settings-form');

const VM =
  '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/RG-Prod/providers/Microsoft.Compute/virtualMachines/VM-Bastion';
const KEY = VM.toLowerCase();
const stored = async () => (await fakeBrowser.storage.local.get('settings')).settings;

beforeEach(() => fakeBrowser.reset());

describe('validateRoute', () => {
  it.each(['auto', 'direct', 'bastion'])('takes %s', (value) => {
    expect(validateRoute(value)).toEqual({ ok: true, value });
  });
  it.each(['Direct', 'tunnel', '', null, 1])('refuses %j, naming the Route', (value) => {
    expect(validateRoute(value)).toEqual({
      ok: false,
      message: 'Route must be Automatic, Direct or Through Azure Bastion; nothing was stored.',
    });
  });
});

describe('saveRoute', () => {
  it('stores a choice under the lower-cased id, keeps the other settings, and Automatic removes it', async () => {
    await fakeBrowser.storage.local.set({ settings: { defaultUser: 'ada', viaByVm: { other: 'bastion' } } });
    expect(await saveRoute(VM, 'direct')).toBeNull();
    expect(await stored()).toEqual({ defaultUser: 'ada', viaByVm: { other: 'bastion', [KEY]: 'direct' } });
    expect(await readRoute(VM)).toBe('direct');
    expect(await saveRoute(VM, 'auto')).toBeNull();
    expect(await stored()).toEqual({ defaultUser: 'ada', viaByVm: { other: 'bastion' } });
    expect(await readRoute(VM)).toBe('auto');
  });

  it('stores nothing on a bad value', async () => {
    await fakeBrowser.storage.local.set({ settings: { viaByVm: { [KEY]: 'bastion' } } });
    expect(await saveRoute(VM, 'tunnel')).toMatch(/^Route must be/);
    expect(await stored()).toEqual({ viaByVm: { [KEY]: 'bastion' } });
  });
});

describe('the background’s check options', () => {
  const lookup = vi.fn(async () => '203.0.113.7');

  it('pass the route chosen for the VM as via, whatever the case of its id', () => {
    const settings = parseSettings({ viaByVm: { [KEY]: 'direct' } });
    expect(checkOptions(settings, VM, lookup)).toMatchObject({
      via: 'direct',
      port: 3389,
      privateMode: false,
    });
    const bastion = parseSettings({ viaByVm: { [KEY]: 'bastion' } });
    expect(checkOptions(bastion, VM.toUpperCase(), lookup).via).toBe('bastion');
  });

  it('pass auto for a VM without a choice', () => {
    expect(checkOptions(parseSettings({}), VM, lookup).via).toBe('auto');
  });

  it('on the private route take only a typed address, never a lookup', async () => {
    lookup.mockClear();
    const options = checkOptions(parseSettings({ privateIp: true, sourceIp: '10.1.2.3' }), VM, lookup);
    expect(options.sourceIp).toBe('10.1.2.3');
    expect(lookup).not.toHaveBeenCalled();
    expect(await checkOptions(parseSettings({}), VM, lookup).sourceIp).toBe('203.0.113.7');
  });
});
