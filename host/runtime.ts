/** The host's real surroundings (paths, log, file store, installed clients), built from the process. */
import os from 'node:os';
import { detectMachine } from './clients/detect';
import type { Machine } from './clients/machine';
import { readConfig } from './config';
import { fileLogger, type Logger } from './log';
import { currentPlatform, type HostPaths, hostPaths } from './paths';
import { RdpStore } from './rdp-store';

export interface Runtime {
  paths: HostPaths;
  log: Logger;
  store: RdpStore;
  machine: () => Machine;
}

export function createRuntime(options: { underFirefox?: boolean } = {}): Runtime {
  const platform = currentPlatform();
  const home = os.homedir();
  const paths = hostPaths(platform, home, process.env);
  const log = fileLogger(paths.logFile);
  let machine: Machine | undefined;
  return {
    paths,
    log,
    store: new RdpStore(paths.rdpDir),
    machine: () => {
      if (!machine) {
        const { config, problem } = readConfig(paths.configFile);
        if (problem) log(problem);
        const detected = detectMachine({
          platform,
          env: process.env,
          home,
          configuredClient: config.client,
          underFirefox: options.underFirefox ?? false,
        });
        for (const p of detected.problems) log(p);
        machine = detected.machine;
      }
      return machine;
    },
  };
}
