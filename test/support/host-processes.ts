/** The companion host processes a browser started: found by the HOME the browser passed them (Linux /proc). */
import { readdirSync, readFileSync } from 'node:fs';

export function hostProcesses(home: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (args.includes('native-host') && env.includes(`HOME=${home}`)) pids.push(Number(pid));
    } catch {
      // The process ended while it was being read.
    }
  }
  return pids;
}
