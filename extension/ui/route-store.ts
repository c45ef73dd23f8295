/** The route chosen for one VM, read and stored from the report page (the options page lists and removes them). */
import { resourceIdKey } from '../../shared/resource-id';
import { type RouteChoice, routeFor } from '../settings';
import { readSettings, updateSettings } from './local-settings';
import { validateRoute } from './settings-form';

export async function readRoute(vmId: string): Promise<RouteChoice> {
  return routeFor(await readSettings(), vmId);
}

/** Stores the choice (`auto` removes it). Null when stored; else the one sentence why not, nothing stored. */
export async function saveRoute(vmId: string, choice: unknown): Promise<string | null> {
  const checked = validateRoute(choice);
  if (!checked.ok) return checked.message;
  const key = resourceIdKey(vmId);
  const { [key]: _previous, ...others } = (await readSettings()).viaByVm;
  await updateSettings({ viaByVm: checked.value === 'auto' ? others : { ...others, [key]: checked.value } });
  return null;
}
