/** What the report page is about: the VM named by its `?vm=` query, with the tenant and cloud to ask in. */
import * as v from 'valibot';
import { parseVmResourceId, type VmResourceId } from '../../shared/resource-id';
import { CloudSchema, TenantSchema } from '../settings';

type Cloud = v.InferOutput<typeof CloudSchema>;

export interface ReportTarget {
  vm: VmResourceId;
  /** Handed over by the content script that opened this frame (see main.tsx); required to fix or launch. */
  grant?: string;
  tenant?: string;
  cloud?: Cloud;
}

/** The VM (and its tenant and cloud) from the page's query, or the one sentence saying what is wrong with it. */
export function targetFromQuery(search: string): ReportTarget | { error: string } {
  const query = new URLSearchParams(search);
  const vm = parseVmResourceId(query.get('vm') ?? '');
  if (vm === null) {
    return {
      error: 'This link does not name an Azure virtual machine: open RDP now from the VM’s portal page.',
    };
  }
  const target: ReportTarget = { vm };
  const tenant = query.get('tenant');
  if (tenant !== null && tenant !== '') {
    if (!v.is(TenantSchema, tenant))
      return { error: 'The tenant in this link is not a tenant ID or domain.' };
    target.tenant = tenant;
  }
  const cloud = query.get('cloud');
  if (cloud !== null && cloud !== '') {
    if (!v.is(CloudSchema, cloud)) return { error: 'The cloud in this link is not one RDP now knows.' };
    target.cloud = cloud;
  }
  return target;
}
