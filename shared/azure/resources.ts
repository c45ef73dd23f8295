/**
 * Reads network resources by id while keeping the chain of dependent requests short.
 *
 * A VM met the first time: the network resources of a resource group are listed (in parallel, one request per
 * type) as soon as the group is known, so the NIC, its public IP, NSG, subnet (inside its VNet), the subnet's
 * NSG and the load balancer all come from lists started together — the chain is VM → lists of a foreign group
 * at worst. A VM seen before: its cached ids are fetched directly, all at once, alongside the VM itself.
 */
import { API, type Arm, ArmError } from './arm';

/** Network resource types read for the checks, as they appear in ids. */
const LISTED_TYPES = [
  'networkInterfaces',
  'publicIPAddresses',
  'networkSecurityGroups',
  'virtualNetworks',
  'loadBalancers',
];

export type Read<T> = { ok: true; value: T } | { ok: false; error: ArmError };

export async function read<T>(promise: Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof ArmError) return { ok: false, error };
    throw error;
  }
}

/** `/subscriptions/{s}/resourceGroups/{rg}` of any resource id (lower-cased), or null. */
export function resourceGroupOf(id: string): string | null {
  const match = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+/i.exec(id);
  return match ? match[0].toLowerCase() : null;
}

/** The parent resource of a child id, e.g. the load balancer of an inbound NAT rule. */
export function parentId(id: string, childType: string): string {
  const at = id.toLowerCase().lastIndexOf(`/${childType.toLowerCase()}/`);
  return at < 0 ? id : id.slice(0, at);
}

export class ResourceReader {
  private readonly bodies = new Map<string, Promise<unknown>>();
  private readonly groups = new Map<string, Promise<void>>();

  /** `listGroups`: prefer listing a resource group's network resources to reading them one by one. */
  constructor(
    private readonly arm: Arm,
    private readonly listGroups: boolean,
  ) {}

  /** Starts reading an id now (a cached id of a VM seen before). */
  prefetch(id: string): void {
    void this.get(id);
  }

  /** Starts listing a resource group now (the VM's own group, known from its id). */
  prefetchGroup(id: string): void {
    const group = resourceGroupOf(id);
    if (group) void this.listGroup(group);
  }

  /** The body of a resource, from a list already made or in flight, else read directly. */
  async resolve(id: string): Promise<unknown> {
    const key = id.toLowerCase();
    const known = this.bodies.get(key);
    if (known) return known;
    const group = resourceGroupOf(id);
    if (group && (this.listGroups || this.groups.has(group))) {
      await this.listGroup(group);
      const listed = this.bodies.get(key);
      if (listed) return listed;
    }
    return this.get(id);
  }

  private get(id: string): Promise<unknown> {
    const key = id.toLowerCase();
    let body = this.bodies.get(key);
    if (!body) {
      body = this.arm.get(id, API.network);
      // Prefetched reads may fail before anyone asks for them: keep the rejection for the caller, not the process.
      body.catch(() => undefined);
      this.bodies.set(key, body);
    }
    return body;
  }

  private listGroup(group: string): Promise<void> {
    let listing = this.groups.get(group);
    if (!listing) {
      listing = Promise.all(
        LISTED_TYPES.map(async (type) => {
          try {
            for (const item of await this.arm.list(
              `${group}/providers/Microsoft.Network/${type}`,
              API.network,
            )) {
              this.remember(item);
            }
          } catch {
            // A list that cannot be read (e.g. no permission at group scope): each id is then read directly.
          }
        }),
      ).then(() => undefined);
      this.groups.set(group, listing);
    }
    return listing;
  }

  private remember(item: unknown): void {
    const id = (item as { id?: unknown })?.id;
    if (typeof id !== 'string') return;
    const key = id.toLowerCase();
    // Only a body is remembered: other resources name their neighbours by reference (`{"id": …}`, e.g. an
    // NSG's `properties.subnets`), which must never stand in for the neighbour's own body.
    if (!isBody(item)) return;
    if (!this.bodies.has(key)) this.bodies.set(key, Promise.resolve(item));
    // A VNet lists its subnets inline, with their bodies: the subnet (and so its NSG id) needs no request of its own.
    if (!/\/providers\/microsoft\.network\/virtualnetworks\/[^/]+$/.test(key)) return;
    const subnets = (item as { properties?: { subnets?: unknown } }).properties?.subnets;
    if (Array.isArray(subnets)) for (const subnet of subnets) this.remember(subnet);
  }
}

/** A resource's body, not a reference to it: it carries its `properties`. */
function isBody(item: unknown): boolean {
  const properties = (item as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null;
}
