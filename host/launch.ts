/**
 * `launch`: untrusted `.rdp` text in, a running client out. Used by the native host and by `rdp-now connect`.
 */
import { type LaunchClient, type LaunchResult, ProtocolError } from '../shared/protocol';
import { canonicalizeRdp, RdpError, rdpFileBytes } from '../shared/rdp-file';
import { chooseClient, planLaunch } from './clients/index';
import type { Machine } from './clients/machine';
import type { Logger } from './log';
import type { RdpStore } from './rdp-store';
import { runAndWait, spawnDetached } from './spawn-detached';

export interface LaunchDeps {
  machine: Machine;
  store: RdpStore;
  log: Logger;
}

export interface LaunchInput {
  rdp: string;
  client?: LaunchClient;
  dryRun?: boolean;
  /** The VM's name for the client's window (docs/PROTOCOL.md §2.4). */
  title?: string;
}

export async function launch(input: LaunchInput, deps: LaunchDeps): Promise<LaunchResult> {
  let canonical: ReturnType<typeof canonicalizeRdp>;
  try {
    canonical = canonicalizeRdp(input.rdp);
  } catch (error) {
    if (!(error instanceof RdpError)) throw error;
    throw new ProtocolError(error.kind === 'invalid' ? 'E_RDP_INVALID' : 'E_RDP_FORBIDDEN', error.message);
  }
  const client = chooseClient(deps.machine, input.client ?? 'auto');
  const file = deps.store.nextPath(input.title);
  const plan = planLaunch(client, file, canonical.settings, deps.machine, input.title);
  const result: LaunchResult = { client, rdp: canonical.text, argv: plan.argv };
  if (input.dryRun) return result;

  const written = plan.profile
    ? { path: plan.profile.path, bytes: new TextEncoder().encode(plan.profile.text) }
    : plan.needsFile
      ? { path: file, bytes: rdpFileBytes(canonical.text) }
      : null;
  if (written) await deps.store.write(written.path, written.bytes);
  for (const step of plan.before) {
    try {
      const code = await runAndWait(step);
      if (code !== 0) deps.log(`${step.argv[0]} exited with ${code}`);
    } catch (error) {
      deps.log(`${step.argv[0]} could not run: ${String(error)}`);
    }
  }
  try {
    const pid = await spawnDetached(plan.launch);
    deps.log(`launched ${client} (pid ${pid}) for ${canonical.settings.target.host}`);
    return { ...result, pid };
  } catch (error) {
    if (written) await deps.store.remove(written.path);
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProtocolError(
      'E_LAUNCH_FAILED',
      `The client ${plan.argv[0]} could not be started (${reason}).`,
    );
  }
}
