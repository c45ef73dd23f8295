/**
 * shared/azure/resources.ts's ResourceReader on a fake ARM: what a list files under an id is that resource's
 * body, never a reference to it that another resource carries (an NSG's `properties.subnets`).
 */
import { describe, expect, it } from 'vitest';
import { type Arm, ArmError } from '../../../shared/azure/arm';
import { ResourceReader } from '../../../shared/azure/resources';

const RG = '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg';
const NET = `${RG}/providers/Microsoft.Network`;
const VNET = `${NET}/virtualNetworks/vnet`;
const SUBNET = `${VNET}/subnets/default`;
const NSG = `${NET}/networkSecurityGroups/nsg`;

const subnetBody = {
  id: SUBNET,
  name: 'default',
  properties: { addressPrefix: '10.0.0.0/24', networkSecurityGroup: { id: NSG } },
};

function fakeArm(
  lists: Record<string, unknown[]>,
  bodies: Record<string, unknown>,
): Arm & { gets: string[] } {
  const gets: string[] = [];
  const notFound = () => new ArmError('not-found', 'It does not exist.', 404);
  return {
    gets,
    async get(path) {
      gets.push(path);
      if (path in bodies) return bodies[path];
      throw notFound();
    },
    async list(path) {
      const type = path.slice(path.lastIndexOf('/') + 1);
      const items = lists[type];
      if (!items) throw notFound();
      return items;
    },
    async send() {
      throw notFound();
    },
  };
}

describe('ResourceReader', () => {
  it("an NSG's subnet references are not taken for the subnet: the subnet is read itself", async () => {
    // The VNet cannot be read (here: not in any list, 404 by id); the NSG lists the subnet by reference.
    const arm = fakeArm(
      { networkSecurityGroups: [{ id: NSG, name: 'nsg', properties: { subnets: [{ id: SUBNET }] } }] },
      { [SUBNET]: subnetBody },
    );
    const reader = new ResourceReader(arm, true);
    await expect(reader.resolve(VNET)).rejects.toBeInstanceOf(ArmError);
    expect(await reader.resolve(SUBNET)).toEqual(subnetBody);
    expect(arm.gets).toContain(SUBNET);
  });

  it("a VNet's inline subnets are bodies: the subnet needs no request of its own", async () => {
    const arm = fakeArm(
      { virtualNetworks: [{ id: VNET, name: 'vnet', properties: { subnets: [subnetBody] } }] },
      {},
    );
    const reader = new ResourceReader(arm, true);
    expect(await reader.resolve(SUBNET.toUpperCase())).toEqual(subnetBody);
    expect(arm.gets).toEqual([]);
  });
});
