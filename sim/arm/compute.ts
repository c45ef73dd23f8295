/**
 * Microsoft.Compute: the VM (with `$expand=instanceView`), its instance view, and `start` as ARM runs it — a
 * long-running operation polled through `Azure-AsyncOperation` (status bodies) or `Location` (202 until done).
 */
import { randomUUID } from 'node:crypto';
import { json, param, queryValue, type Reply, type RequestContext } from './context';
import { resourceNotFound } from './errors';
import { LOCATION, SUBSCRIPTION } from './ids';
import type { InstanceViewStatus, PowerState, VirtualMachine, VmInstanceView } from './shapes';
import { key, type StartOperation, type VmRecord, type World } from './world';

const DEFAULT_API_VERSION = '2024-07-01';
const PROVISIONED_AT = '2024-11-04T08:19:02.5468901+00:00';

const DISPLAY: Readonly<Record<PowerState, string>> = {
  running: 'VM running',
  starting: 'VM starting',
  stopped: 'VM stopped',
  stopping: 'VM stopping',
  deallocated: 'VM deallocated',
  deallocating: 'VM deallocating',
};

export function findVm(ctx: RequestContext): VmRecord {
  const id = `${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/providers/Microsoft.Compute/virtualMachines/${param(ctx, 'name')}`;
  const vm = ctx.world.vms.get(key(id));
  if (!vm)
    throw resourceNotFound(`Microsoft.Compute/virtualMachines/${param(ctx, 'name')}`, param(ctx, 'rg'));
  return vm;
}

export function instanceView(vm: VmRecord): VmInstanceView {
  const { body, powerState } = vm;
  const windows = body.properties.storageProfile.osDisk.osType === 'Windows';
  const succeeded: InstanceViewStatus = {
    code: 'ProvisioningState/succeeded',
    level: 'Info',
    displayStatus: 'Provisioning succeeded',
    time: PROVISIONED_AT,
  };
  const guest =
    powerState === 'running'
      ? {
          computerName: body.properties.osProfile.computerName,
          osName: windows ? 'Windows Server 2022 Datacenter Azure Edition' : 'ubuntu',
          osVersion: windows ? '10.0.20348.2762' : '22.04',
          vmAgent: {
            vmAgentVersion: windows ? '2.7.41491.1102' : '2.11.1.12',
            statuses: [
              {
                code: 'ProvisioningState/succeeded',
                level: 'Info' as const,
                displayStatus: 'Ready',
                message: 'GuestAgent is running and processing the extensions.',
                time: new Date().toISOString(),
              },
            ],
            extensionHandlers: [],
          },
        }
      : {};
  return {
    ...guest,
    disks: [{ name: body.properties.storageProfile.osDisk.name, statuses: [succeeded] }],
    hyperVGeneration: 'V2',
    isVMInStandbyPool: false,
    statuses: [
      succeeded,
      { code: `PowerState/${powerState}`, level: 'Info', displayStatus: DISPLAY[powerState] },
    ],
  };
}

/** The VM body; with `$expand=instanceView` it carries `properties.instanceView`. */
export function renderVm(vm: VmRecord, ctx: RequestContext): VirtualMachine {
  const expand = queryValue(ctx.query, '$expand') ?? '';
  if (!expand.split(',').some((e) => e.trim().toLowerCase() === 'instanceview')) return vm.body;
  return { ...vm.body, properties: { ...vm.body.properties, instanceView: instanceView(vm) } };
}

export function getInstanceView(ctx: RequestContext): Reply {
  return json(instanceView(findVm(ctx)));
}

function operationUrls(ctx: RequestContext, operation: string): { status: string; monitor: string } {
  const apiVersion = encodeURIComponent(queryValue(ctx.query, 'api-version') ?? DEFAULT_API_VERSION);
  const base = `${ctx.origin}${SUBSCRIPTION}/providers/Microsoft.Compute/locations/${LOCATION}/operations/${operation}`;
  return {
    status: `${base}?api-version=${apiVersion}`,
    monitor: `${base}?monitor=true&api-version=${apiVersion}`,
  };
}

export function startVm(ctx: RequestContext): Reply {
  const vm = findVm(ctx);
  const operation: StartOperation = {
    id: randomUUID(),
    vmKey: key(vm.id),
    polls: 0,
    startTime: ctx.now.toISOString(),
  };
  ctx.world.operations.set(operation.id, operation);
  if (vm.powerState !== 'running') vm.powerState = 'starting';
  const urls = operationUrls(ctx, operation.id);
  return {
    status: 202,
    headers: { 'Azure-AsyncOperation': urls.status, Location: urls.monitor, 'Retry-After': '0' },
  };
}

/**
 * Each GET of an operation (either URL) counts as one poll: the first `lroPolls` answer "in progress", the next
 * completes the start (the VM runs, a dynamic public IP gets its address).
 */
export function getOperation(ctx: RequestContext): Reply {
  const id = param(ctx, 'operation');
  const operation = ctx.world.operations.get(id.toLowerCase());
  if (!operation || param(ctx, 'location').toLowerCase() !== LOCATION) {
    throw resourceNotFound(`Microsoft.Compute/locations/${param(ctx, 'location')}/operations/${id}`, '');
  }
  operation.polls += 1;
  if (operation.endTime === undefined && operation.polls > ctx.lroPolls)
    complete(ctx.world, operation, ctx.now);
  const done = operation.endTime !== undefined;

  if (queryValue(ctx.query, 'monitor')?.toLowerCase() === 'true') {
    if (done) return { status: 200 };
    return {
      status: 202,
      headers: { Location: operationUrls(ctx, operation.id).monitor, 'Retry-After': '0' },
    };
  }
  return {
    status: 200,
    headers: done ? {} : { 'Retry-After': '0' },
    body: {
      startTime: operation.startTime,
      ...(done ? { endTime: operation.endTime } : {}),
      status: done ? 'Succeeded' : 'InProgress',
      name: operation.id,
    },
  };
}

function complete(world: World, operation: StartOperation, now: Date): void {
  operation.endTime = now.toISOString();
  const vm = world.vms.get(operation.vmKey);
  if (!vm) return;
  vm.powerState = 'running';
  for (const ref of vm.body.properties.networkProfile.networkInterfaces) {
    for (const config of world.nics.get(key(ref.id))?.properties.ipConfigurations ?? []) {
      const ipId = config.properties.publicIPAddress?.id;
      const ip = ipId === undefined ? undefined : world.publicIps.get(key(ipId));
      const address = ipId === undefined ? undefined : world.dynamicAddresses.get(key(ipId));
      if (ip && address && ip.properties.ipAddress === undefined) {
        const { provisioningState, ...rest } = ip.properties;
        ip.properties = { provisioningState, ipAddress: address, ...rest };
      }
    }
  }
}
