/**
 * `doctor`: gathers what is registered where and which clients exist (gatherFacts, the only I/O), then
 * explains each misconfiguration in one sentence (diagnose, pure and unit-tested).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { UPDATE_COMMAND } from '../../shared/host-versions';
import { type ClientInfo, FIREFOX_EXTENSION_ID, HOST_NAME, type HostPlatform } from '../../shared/protocol';
import { detectMachine, isExecutableFile } from '../clients/detect';
import { defaultClient, listClients, noClientAdvice } from '../clients/index';
import { readConfig } from '../config';
import { hostPaths, pathApi } from '../paths';
import {
  BROWSER_NAMES,
  BROWSERS,
  type BrowserId,
  browserUserDir,
  isFirefox,
  registryKey,
  SANDBOXED_BROWSERS,
} from './browsers';
import { nodePathInWrapper, parseRegDefault, regQueryDefault } from './host-files';
import { type InstallContext, installLayout, manifestPath } from './plan';
import { type PolicyFacts, type PolicyIo, policyProblems, readPolicies } from './policies';
import { SYSTEM_BROWSERS, systemManifestPath, systemRegistryKey } from './system';

export interface Registration {
  browser: BrowserId;
  browserPresent: boolean;
  manifestPath: string | null;
  /** The parsed manifest, `missing`, or `unreadable` (not JSON). */
  manifest: Record<string, unknown> | 'missing' | 'unreadable';
  wrapperOk: boolean;
  wrapperNode: string | null;
  wrapperNodeExists: boolean;
}

export interface DoctorFacts {
  platform: HostPlatform;
  version: string;
  extensionIds: readonly string[];
  installedVersion: string | null;
  registrations: Registration[];
  clients: ClientInfo[];
  defaultClient: string | null;
  clientProblems: string[];
  sandboxed: ReadonlyArray<{ name: string; kind: string }>;
  /** The machine-wide manifests found (`install --system`). */
  systemManifests: Partial<Record<BrowserId, string>>;
  policies: PolicyFacts;
}

export interface Finding {
  ok: boolean;
  text: string;
}

export function diagnose(facts: DoctorFacts): Finding[] {
  const findings: Finding[] = [];
  const anyRegistered =
    facts.registrations.some((r) => r.manifest !== 'missing') ||
    Object.keys(facts.systemManifests).length > 0;
  for (const r of facts.registrations) {
    const name = BROWSER_NAMES[r.browser];
    const system = facts.systemManifests[r.browser];
    if (r.manifest === 'missing' && system !== undefined) {
      findings.push({ ok: true, text: `${name}: registered for all users (${system}).` });
      continue;
    }
    if (r.manifest === 'missing') {
      if (r.browserPresent) {
        findings.push({
          ok: false,
          text: `${name} is installed but RDP now is not registered for it: run "rdp-now install".`,
        });
      }
      continue;
    }
    if (r.manifest === 'unreadable') {
      findings.push({
        ok: false,
        text: `The ${name} host manifest ${r.manifestPath} is not valid JSON: run "rdp-now install" again.`,
      });
      continue;
    }
    const problem = manifestProblem(r, facts);
    findings.push(
      problem ? { ok: false, text: problem } : { ok: true, text: `${name}: registered (${r.manifestPath}).` },
    );
  }
  if (!anyRegistered)
    findings.push({ ok: false, text: 'RDP now is not registered for any browser: run "rdp-now install".' });
  if (anyRegistered && facts.installedVersion !== null && facts.installedVersion !== facts.version) {
    findings.push({
      ok: false,
      text: `The installed host is version ${facts.installedVersion} but this is ${facts.version}: run "rdp-now install" to update it.`,
    });
  } else if (anyRegistered) {
    // The extension compares this version with what each of its requests needs (shared/host-versions.ts).
    findings.push({
      ok: true,
      text: `Host version ${facts.version}: an extension that needs a newer one says so; update with "${UPDATE_COMMAND}".`,
    });
  }
  const summaries = facts.registrations.map((r) => ({
    browser: r.browser,
    browserPresent: r.browserPresent,
    userManifest: r.manifest === 'missing' ? null : r.manifestPath,
    systemManifest: facts.systemManifests[r.browser] ?? null,
  }));
  for (const text of policyProblems(facts.policies, summaries)) findings.push({ ok: false, text });
  for (const s of facts.sandboxed) {
    findings.push({
      ok: false,
      text: `${s.name} is installed as a ${s.kind}, which can only start native hosts through the xdg-desktop-portal native-messaging interface: use a ${s.name} from your distribution's packages or enable that portal.`,
    });
  }
  const available = facts.clients.filter((c) => c.available);
  if (available.length === 0) findings.push({ ok: false, text: noClientAdvice(facts.platform) });
  else {
    findings.push({
      ok: true,
      text: `RDP clients: ${available.map((c) => c.id).join(', ')} (default: ${facts.defaultClient}).`,
    });
  }
  for (const text of facts.clientProblems) findings.push({ ok: false, text });
  return findings;
}

function manifestProblem(r: Registration, facts: DoctorFacts): string | null {
  const name = BROWSER_NAMES[r.browser];
  const m = r.manifest as Record<string, unknown>;
  if (m.name !== HOST_NAME || m.type !== 'stdio') {
    return `The ${name} manifest ${r.manifestPath} is not an RDP now host manifest: run "rdp-now install" again.`;
  }
  if (!r.wrapperOk) {
    return `The ${name} manifest points to ${String(m.path)}, which is missing or not executable: run "rdp-now install" again.`;
  }
  if (r.wrapperNode !== null && !r.wrapperNodeExists) {
    return `The host wrapper runs Node from ${r.wrapperNode}, which no longer exists: run "rdp-now install" again with your current Node.`;
  }
  if (isFirefox(r.browser)) {
    const ids = Array.isArray(m.allowed_extensions) ? m.allowed_extensions : [];
    return ids.includes(FIREFOX_EXTENSION_ID)
      ? null
      : `The Firefox manifest does not allow ${FIREFOX_EXTENSION_ID}: run "rdp-now install --browser firefox".`;
  }
  const origins = Array.isArray(m.allowed_origins) ? m.allowed_origins : [];
  const missing = facts.extensionIds.filter((id) => !origins.includes(`chrome-extension://${id}/`));
  return missing.length === 0
    ? null
    : `The ${name} manifest does not allow the extension ${missing.join(', ')}: run "rdp-now install --extension-id ${missing[0]}".`;
}

/** `root` prefixes the machine-wide paths on Linux and macOS (system manifests, policies): `/` but in tests. */
export function gatherFacts(
  ctx: InstallContext,
  version: string,
  extensionIds: readonly string[],
  root = '/',
): DoctorFacts {
  const layout = installLayout(ctx);
  const registrations = BROWSERS.map((browser) => registrationFacts(ctx, browser, layout.reg));
  let installedVersion: string | null = null;
  try {
    const record = JSON.parse(readFileSync(layout.record, 'utf8')) as { version?: unknown };
    if (typeof record.version === 'string') installedVersion = record.version;
  } catch {
    // Not installed (or installed by hand): nothing to compare.
  }
  const paths = hostPaths(ctx.platform, ctx.home, ctx.env);
  const { config, problem } = readConfig(paths.configFile);
  const { machine, problems } = detectMachine({
    platform: ctx.platform,
    env: ctx.env,
    home: ctx.home,
    configuredClient: config.client,
    underFirefox: false,
  });
  const p = pathApi(ctx.platform);
  return {
    platform: ctx.platform,
    version,
    extensionIds,
    installedVersion,
    registrations,
    clients: listClients(machine),
    defaultClient: defaultClient(machine),
    clientProblems: [...(problem ? [problem] : []), ...problems],
    sandboxed:
      ctx.platform === 'linux'
        ? SANDBOXED_BROWSERS.filter((s) => existsSync(p.join(ctx.home, s.marker)) || isSnapInstalled(s))
        : [],
    systemManifests: systemManifests(ctx, root, layout.reg),
    policies: readPolicies(ctx.platform, POLICY_IO, {
      root,
      reg: layout.reg,
      ...(ctx.env.ProgramFiles !== undefined && { programFiles: ctx.env.ProgramFiles }),
    }),
  };
}

function systemManifests(ctx: InstallContext, root: string, reg: string): Partial<Record<BrowserId, string>> {
  const found: Partial<Record<BrowserId, string>> = {};
  const sys = { ...ctx, root };
  for (const browser of SYSTEM_BROWSERS) {
    const file =
      ctx.platform === 'win32'
        ? parseRegDefault(run(regQueryDefault(reg, systemRegistryKey(browser))))
        : systemManifestPath(sys, browser);
    if (file !== null && existsSync(file)) found[browser] = file;
  }
  return found;
}

const POLICY_IO: PolicyIo = {
  listJson: (dir) => {
    try {
      return readdirSync(dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  },
  read: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
  run: (argv) => run(argv),
};

function isSnapInstalled(s: { name: string; kind: string; marker: string }): boolean {
  return s.kind === 'Snap' && existsSync(`/${s.marker}/current`);
}

function registrationFacts(ctx: InstallContext, browser: BrowserId, reg: string): Registration {
  const file =
    ctx.platform === 'win32'
      ? parseRegDefault(run(regQueryDefault(reg, registryKey(browser))))
      : manifestPath(ctx, browser);
  const base = {
    browser,
    browserPresent: existsSync(browserUserDir(browser, ctx.platform, ctx.home, ctx.env)),
    manifestPath: file,
    wrapperOk: false,
    wrapperNode: null,
    wrapperNodeExists: false,
  };
  let text: string;
  try {
    if (file === null) throw new Error('no registry value');
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...base, manifest: 'missing' };
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
    if (typeof manifest !== 'object' || manifest === null) throw new Error('not an object');
  } catch {
    return { ...base, manifest: 'unreadable' };
  }
  const wrapper = typeof manifest.path === 'string' ? manifest.path : '';
  const wrapperOk = wrapper !== '' && isExecutableFile(wrapper, ctx.platform);
  let wrapperNode: string | null = null;
  try {
    wrapperNode = wrapperOk ? nodePathInWrapper(readFileSync(wrapper, 'utf8')) : null;
  } catch {
    wrapperNode = null;
  }
  return {
    ...base,
    manifest,
    wrapperOk,
    wrapperNode,
    wrapperNodeExists: wrapperNode !== null && existsSync(wrapperNode),
  };
}

function run(argv: string[]): string {
  const [program, ...args] = argv;
  const result = spawnSync(program as string, args, { encoding: 'utf8', shell: false });
  return result.status === 0 ? result.stdout : '';
}
