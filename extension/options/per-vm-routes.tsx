/** The options page's list of VMs with a chosen route (chosen in the report, under the VM's target). */
import type { RouteChoice } from '../settings';
import { ROUTE_LABELS } from '../ui/route-choice';
import { store } from './page-state';
import { PerVmList } from './per-vm-list';

export function PerVmRoutes({ byVm }: { byVm: Readonly<Record<string, Exclude<RouteChoice, 'auto'>>> }) {
  const entries = Object.fromEntries(Object.entries(byVm).map(([key, via]) => [key, ROUTE_LABELS[via]]));
  return (
    <PerVmList
      id="per-vm-routes-title"
      title="Routes chosen for particular VMs"
      empty="None: every VM takes its direct route, or an Azure Bastion when it has none. Choose a route in a VM’s report."
      entries={entries}
      what="the chosen route"
      onRemove={(key) => void store.removeFor('viaByVm', key)}
    />
  );
}
