/** The CLI's cache of VM topologies (resource ids only, never values): a small JSON file in the state folder. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import type { TopologyCache } from '../../shared/checks/engine';
import { type Topology, TopologySchema } from '../../shared/checks/gather';

const MAX_VMS = 200;
const FileSchema = v.object({ version: v.literal(1), vms: v.record(v.string(), TopologySchema) });

export function topologyFile(file: string): TopologyCache {
  const load = (): Record<string, Topology> => {
    try {
      const parsed = v.safeParse(FileSchema, JSON.parse(readFileSync(file, 'utf8')));
      // A damaged cache only costs a slower first check.
      return parsed.success ? parsed.output.vms : {};
    } catch {
      return {};
    }
  };
  return {
    async get(vmId) {
      return load()[vmId.toLowerCase()] ?? null;
    },
    async set(vmId, topology) {
      const vms = load();
      delete vms[vmId.toLowerCase()];
      vms[vmId.toLowerCase()] = topology;
      const kept = Object.fromEntries(Object.entries(vms).slice(-MAX_VMS));
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: 1, vms: kept }), { mode: 0o600 });
      renameSync(temp, file);
    },
  };
}
