import { describe, expect, it } from 'vitest';
import { PendingStarts, RESUME_WINDOW_MS } from '../../../../extension/background/pending-starts';
import { memoryArea } from '../../../support/session-area';

const VM = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/VM1';

describe('PendingStarts: a start a stopped worker left under way', () => {
  it('is under way from begin to end, for the VM in any case, and not after the resume window', async () => {
    let now = 1_000_000;
    const area = memoryArea();
    const starts = new PendingStarts(area, () => now);
    expect(await starts.underWay(VM)).toBe(false);
    await starts.begin(VM);
    // A new worker reads it from the same session area.
    expect(await new PendingStarts(area, () => now).underWay(VM.toLowerCase())).toBe(true);
    now += RESUME_WINDOW_MS;
    expect(await starts.underWay(VM)).toBe(false);
    await starts.begin(VM);
    await starts.end(VM);
    expect(await starts.underWay(VM)).toBe(false);
  });

  it('trusts nothing else stored under its key', async () => {
    const area = memoryArea();
    await area.set({ [`starting:${VM.toLowerCase()}`]: 'yes' });
    expect(await new PendingStarts(area).underWay(VM)).toBe(false);
  });
});
