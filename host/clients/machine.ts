/** What a launch planner needs to know about this machine; gathered once by detect.ts, passed to pure planners. */
import type { HostPlatform } from '../../shared/protocol';

export interface Machine {
  platform: HostPlatform;
  /** Program name → absolute path, for the programs found on PATH (Linux) or at their fixed paths (Windows, macOS). */
  programs: ReadonlyMap<string, string>;
  /** The user's own client (RDPNOW_CLIENT or the config file): an absolute path to an executable, or null. */
  customClient: string | null;
  /** Windows: %SystemRoot%, where mstsc.exe, reg.exe and PowerShell live. */
  systemRoot: string;
  /** Windows: the host was started by Firefox, whose job object would kill a directly spawned client. */
  underFirefox: boolean;
}

export interface Command {
  argv: string[];
  /** Extra environment for this command only (values never contain secrets). */
  env?: Record<string, string>;
}

export interface LaunchPlan {
  /** Run first and waited for (e.g. the user-name hint for mstsc); a failure is logged, not fatal. */
  before: Command[];
  /** The client itself, started detached. */
  launch: Command;
  /** What the reply reports as `argv`: the client's own command line, even when a hand-off wraps it. */
  argv: string[];
  /** Whether the canonical `.rdp` file must exist when the client starts. */
  needsFile: boolean;
  /** Remmina with a title: a connection profile (UTF-8) written instead of the `.rdp` file, which is not needed. */
  profile?: { path: string; text: string };
}
