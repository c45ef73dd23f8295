/**
 * `rdp-now check | connect | cleanup` for a VM (docs/PROTOCOL.md §4): the prerequisite engine of shared/checks on the
 * command line. Loaded lazily: the native host never pays for the Azure SDK.
 */
import { type Arm, ArmError, createArm } from '../../shared/azure/arm';
import { CLOUDS, type Cloud, cloudByName } from '../../shared/azure/clouds';
import { applyFix, type FixStep, planFix } from '../../shared/checks/apply-fix';
import { CheckError, type CheckRun, runCheck } from '../../shared/checks/engine';
import { cleanupRules, type PlannedRule } from '../../shared/checks/fixes';
import type { Via } from '../../shared/checks/gather';
import type { CheckReport } from '../../shared/checks/report';
import { DEFAULT_IP_LOOKUP_URL, lookupSourceIp } from '../../shared/checks/source-ip';
import { formatIp, parseIp } from '../../shared/ip';
import { type ClientId, launchTitle, ProtocolError } from '../../shared/protocol';
import { sessionRdp } from '../../shared/rdp-file';
import { parseVmTarget, type VmTarget } from '../../shared/resource-id';
import { clientOption, EXIT, parseOptions, UsageError } from '../cli-args';
import { launch } from '../launch';
import { createRuntime } from '../runtime';
import {
  BastionError,
  bastionEndpoint,
  deleteSession,
  requestSession,
  tunnelUrl,
} from '../tunnel/bastion-api';
import { openTunnel, type Tunnel } from '../tunnel/tunnel';
import { AZURE_OPTIONS as OPTIONS } from './options';
import { renderReport, renderRule } from './render';
import { readToken, SignInError, staticCredential } from './token';
import { topologyFile } from './topology-file';

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

/** After a fix, ARM may take a moment to show its effect (e.g. JIT rules): re-check this often, this long. */
const RECHECK_EVERY_MS = 3000;
const RECHECK_FOR_MS = 60_000;

export async function runAzureCommand(
  command: 'check' | 'connect' | 'cleanup' | 'tunnel',
  args: string[],
): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one TARGET.`);
  const target = parseVmTarget(positionals[0] as string);
  if (!target) {
    throw new UsageError(
      `"${positionals[0]}" is not a VM: give a VM resource id or the portal URL of a VM's page.`,
    );
  }
  try {
    const ctx = await context(target, values, command);
    if (command === 'check') return await check(ctx);
    if (command === 'cleanup') return await cleanup(ctx);
    if (command === 'tunnel') return await tunnelCommand(ctx);
    return await connect(ctx);
  } catch (error) {
    if (error instanceof BastionError) {
      if (values.json) process.stdout.write(`${JSON.stringify({ error: error.message }, null, 2)}\n`);
      else process.stderr.write(`rdp-now: ${error.message}\n`);
      return EXIT.notReady;
    }
    if (error instanceof CheckError || error instanceof SignInError) {
      if (values.json) process.stdout.write(`${JSON.stringify({ error: error.message }, null, 2)}\n`);
      else process.stderr.write(`rdp-now: ${error.message}\n`);
      return EXIT.noJudgement;
    }
    throw error;
  }
}

interface Context {
  target: VmTarget;
  values: Values;
  cloud: Cloud;
  port: number;
  arm: Arm;
  runtime: ReturnType<typeof createRuntime>;
  sourceIp: Promise<string | null>;
  sourceNote: string;
  /** The ARM token: the Bastion route's session requests carry it to the Bastion. */
  token: string;
  /** `tunnel`: `--port` is the local port; the VM's RDP port stays 3389. */
  localPort: number | null;
}

async function context(target: VmTarget, values: Values, command: string): Promise<Context> {
  const cloud = values.cloud ? cloudByName(values.cloud) : CLOUDS[target.cloud ?? 'AzureCloud'];
  if (!cloud) throw new UsageError(`Unknown cloud "${values.cloud}"; use ${Object.keys(CLOUDS).join(', ')}.`);
  // Digits only: Number() would also take "0x10", "1e3" or " 3389".
  const port =
    values.port === undefined ? 3389 : /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= (command === 'tunnel' ? 0 : 1) && port <= 65535)) {
    throw new UsageError('--port must be a number from 1 to 65535.');
  }
  const bastionOverride = values['bastion-endpoint'];
  if (bastionOverride !== undefined && !/^https:\/\/[^/]+\/?$/.test(bastionOverride)) {
    throw new UsageError('--bastion-endpoint must be an https:// origin.');
  }
  const endpoint = values['arm-endpoint'];
  if (endpoint !== undefined && !/^https:\/\/[^/]+\/?$/.test(endpoint)) {
    throw new UsageError('--arm-endpoint must be an https:// origin, e.g. https://management.azure.com.');
  }
  if (values.client !== undefined) clientOption(values.client);
  if (values.via !== undefined && !['direct', 'bastion', 'auto'].includes(values.via)) {
    throw new UsageError('--via must be direct, bastion or auto.');
  }
  const { sourceIp, sourceNote } = sourceIpFor(values);
  // The lookup runs while the token is fetched and ARM is read; a failure only makes the IP unknown.
  const token = await readToken(values.token, cloud, target.tenant);
  const arm = createArm({
    credential: staticCredential(token),
    cloud,
    ...(endpoint !== undefined && { endpoint: endpoint.replace(/\/$/, '') }),
  });
  const tunnel = command === 'tunnel';
  return {
    target,
    values,
    cloud,
    port: tunnel ? 3389 : port,
    arm,
    runtime: createRuntime(),
    sourceIp,
    sourceNote,
    token,
    localPort: tunnel && values.port !== undefined ? port : null,
  };
}

function sourceIpFor(values: Values): { sourceIp: Promise<string | null>; sourceNote: string } {
  if (values['source-ip'] !== undefined) {
    const ip = parseIp(values['source-ip']);
    if (!ip) throw new UsageError(`--source-ip "${values['source-ip']}" is not an IP address.`);
    return { sourceIp: Promise.resolve(formatIp(ip)), sourceNote: 'given with --source-ip' };
  }
  // Only --no-ip-lookup turns the lookup off: with --private the NSGs still judge the source IP.
  if (values['no-ip-lookup']) {
    return { sourceIp: Promise.resolve(null), sourceNote: 'not looked up (--no-ip-lookup)' };
  }
  const url = values['ip-lookup-url'] ?? DEFAULT_IP_LOOKUP_URL;
  if (!/^https:\/\//.test(url)) throw new UsageError('--ip-lookup-url must be an https:// URL.');
  return {
    sourceIp: lookupSourceIp(url).catch(() => null),
    sourceNote: `looked up at ${url}; behind a proxy or VPN it may differ: pass --source-ip`,
  };
}

function runOnce(ctx: Context): Promise<CheckRun> {
  return runCheck(ctx.arm, ctx.target.vm, {
    port: ctx.port,
    privateMode: ctx.values.private ?? false,
    via: (ctx.values.via ?? 'auto') as Via,
    sourceIp: ctx.sourceIp,
    cache: topologyFile(`${ctx.runtime.paths.stateDir}/topology.json`),
  });
}

function out(ctx: Context, json: unknown, text: string, toStderr = false): void {
  if (ctx.values.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else (toStderr ? process.stderr : process.stdout).write(text);
}

async function check(ctx: Context): Promise<number> {
  const { report } = await runOnce(ctx);
  out(ctx, report, renderReport(report, ctx.sourceNote));
  return report.ready ? EXIT.ok : EXIT.notReady;
}

async function connect(ctx: Context): Promise<number> {
  const { values } = ctx;
  const dryRun = values['dry-run'] ?? false;
  const log: string[] = [];
  const say = (line: string) => {
    log.push(line);
    if (!values.json) process.stderr.write(`${line}\n`);
  };
  let run = await runOnce(ctx);
  const reports: CheckReport[] = [run.report];
  if (!values.json) process.stdout.write(renderReport(run.report, ctx.sourceNote));

  if (!run.report.ready) {
    if (!values.fix) {
      say('Not ready: "--fix" applies the fixes listed above (an NSG rule only with "--add-nsg-rule").');
      out(ctx, { reports, fixes: log, launch: null }, '');
      return EXIT.notReady;
    }
    let applied: boolean;
    try {
      applied = await applyFixes(ctx, run, dryRun, say);
    } catch (error) {
      // A fix Azure refused (a missing permission, a conflict…): one sentence, and the VM is not ready.
      if (!(error instanceof FixError)) throw error;
      return notReady(ctx, reports, log, error.message);
    }
    if (dryRun && applied) {
      if (run.report.target.address) return launchFor(ctx, run.report, true, reports, log);
      say(
        `The launch would follow once ${run.report.vm.name} has an address, which Azure assigns when it starts.`,
      );
      out(ctx, { reports, fixes: log, launch: null }, '');
      return EXIT.ok;
    }
    if (!applied) {
      say('Nothing could be fixed automatically: see the checks above.');
      out(ctx, { reports, fixes: log, launch: null }, '');
      return EXIT.notReady;
    }
    run = await recheckUntilReady(ctx, say);
    reports.push(run.report);
    if (!values.json) process.stdout.write(`\n${renderReport(run.report, ctx.sourceNote)}`);
    if (!run.report.ready) {
      out(ctx, { reports, fixes: log, launch: null }, '');
      return EXIT.notReady;
    }
  }
  return launchFor(ctx, run.report, dryRun, reports, log);
}

/** Applies what the plan allows; returns whether every failing check had a fix to apply. */
async function applyFixes(
  ctx: Context,
  run: CheckRun,
  dryRun: boolean,
  say: (line: string) => void,
): Promise<boolean> {
  const arm = ctx.arm;
  const { plan, report } = run;
  const sourceIp = await ctx.sourceIp;
  const verb = dryRun ? 'Would' : 'Will';
  // Each plan is made when its turn comes: a JIT request and a rule last from then, not from before the start.
  const input = () => ({ plan, vm: report.vm, sourceIp, now: new Date() });
  const start = plan.startVm ? planFix('start-vm', input()) : null;
  if (start) {
    say(`${verb} start ${report.vm.name} and wait until it runs.`);
    if (!dryRun) {
      await attempt(arm, start, say);
      say(`  ${report.vm.name} is running.`);
    }
  }
  const jit = planFix('request-jit', input());
  if (jit) {
    const port = jit.body.virtualMachines[0]?.ports[0];
    say(
      `${verb} request just-in-time access to port ${port?.number} for ${sourceIp} until ${port?.endTimeUtc}.`,
    );
    if (!dryRun) await attempt(arm, jit, say);
  }
  const nsgFailing = report.checks.some((c) => c.id === 'nsg' && c.fixes.includes('add-nsg-rule'));
  let rules: PlannedRule[] = [];
  const nsg = nsgFailing ? planFix('add-nsg-rule', input()) : null;
  if (nsg) {
    rules = nsg.rules;
    if (ctx.values['add-nsg-rule']) {
      say(`${verb} add ${rules.length === 1 ? 'this rule' : 'these rules'}:`);
      for (const rule of rules) say(renderRule(rule));
      if (!dryRun) await attempt(arm, nsg, say);
    } else {
      say('An NSG denies RDP from your IP; "--add-nsg-rule" would add:');
      for (const rule of rules) say(renderRule(rule));
    }
  }
  return report.checks.every((c) => {
    if (c.status !== 'fail' && c.status !== 'unknown') return true;
    if (c.id === 'power') return plan.startVm;
    if (c.id === 'jit') return plan.jit !== null && sourceIp !== null;
    if (c.id === 'nsg') {
      // A JIT deny is lifted by the JIT request; any other deny by our rule.
      return plan.jit !== null || (ctx.values['add-nsg-rule'] === true && rules.length > 0);
    }
    // After a start, a dynamic public IP gets its address.
    if (c.id === 'address') return plan.startVm && report.target.via === 'public-ip';
    return false;
  });
}

/** A fix that Azure refused, in one sentence naming the fix. */
class FixError extends Error {
  override name = 'FixError';
}

/** Applies a fix, saying how the start goes; Azure's refusal becomes a FixError naming what was being done. */
async function attempt(arm: Arm, step: FixStep, say: (line: string) => void): Promise<void> {
  let doing = step.fix === 'start-vm' ? `Starting ${step.vm.name}` : 'Requesting just-in-time access';
  try {
    await applyFix(arm, step, (event) => {
      if (event.kind === 'starting') say(`  starting… ${event.status} (${event.seconds} s)`);
      else if (event.kind === 'adding-rule') {
        doing = `Adding the rule ${event.rule.name} to ${event.rule.nsgName}`;
      }
    });
  } catch (error) {
    if (error instanceof ArmError) throw new FixError(`${doing} failed: ${error.message}`);
    throw error;
  }
}

async function recheckUntilReady(ctx: Context, say: (line: string) => void): Promise<CheckRun> {
  const deadline = Date.now() + RECHECK_FOR_MS;
  for (;;) {
    const run = await runOnce(ctx);
    if (run.report.ready || Date.now() + RECHECK_EVERY_MS > deadline) return run;
    say('  waiting for Azure to apply the change…');
    await new Promise((r) => setTimeout(r, RECHECK_EVERY_MS));
  }
}

async function launchFor(
  ctx: Context,
  report: CheckReport,
  dryRun: boolean,
  reports: CheckReport[],
  log: string[],
) {
  if (report.target.via === 'bastion') return launchThroughBastion(ctx, report, dryRun, reports, log);
  const { address, port } = report.target;
  if (!address) {
    out(
      ctx,
      { reports, fixes: log, launch: null },
      'rdp-now: Azure reports no address to connect to yet; try again shortly.\n',
      true,
    );
    return EXIT.notReady;
  }
  const rdp = sessionRdp(address, port, ctx.values.user !== undefined ? { username: ctx.values.user } : {});
  try {
    const result = await launch(launchInput(ctx, rdp, report, dryRun), {
      machine: ctx.runtime.machine(),
      store: ctx.runtime.store,
      log: ctx.runtime.log,
    });
    const verb = dryRun ? 'Would run' : `Started ${result.client} (pid ${result.pid}):`;
    out(ctx, { reports, fixes: log, launch: result }, `${verb} ${result.argv.join(' ')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return notReady(ctx, reports, log, error.message);
  }
}

/** What the CLI asks to launch: the client chosen, and the VM's name for the client's window (not 127.0.0.1). */
function launchInput(ctx: Context, rdp: string, report: CheckReport, dryRun: boolean) {
  const title = launchTitle(report.vm.name);
  return {
    rdp,
    client: (ctx.values.client ?? 'auto') as ClientId | 'auto',
    dryRun,
    ...(title !== undefined && { title }),
  };
}

/** The VM could not be made ready or launched: the one sentence why, in text or in the JSON, and exit 1. */
function notReady(ctx: Context, reports: CheckReport[], log: string[], message: string): number {
  out(ctx, { reports, fixes: log, launch: null, error: message }, `rdp-now: ${message}\n`, true);
  return EXIT.notReady;
}

async function cleanup(ctx: Context): Promise<number> {
  const { facts } = await runOnce(ctx);
  const nsgIds = [facts.topology.subnetNsgId, facts.topology.nicNsgId].filter(
    (id): id is string => id !== null,
  );
  const results = await cleanupRules(ctx.arm, nsgIds, ctx.values.all ?? false, new Date());
  const lines = results.flatMap((r) => [
    ...r.removed.map((name) => `removed ${name} from ${r.nsgId.split('/').pop()}`),
    ...r.kept.map((name) => `kept ${name} in ${r.nsgId.split('/').pop()} (not expired; --all removes it)`),
  ]);
  // A refused read or DELETE is one sentence per NSG (`error` in --json), and the exit code says not done.
  const errors = results.flatMap((r) => (r.error === null ? [] : [r.error]));
  if (lines.length === 0 && errors.length === 0) lines.push('No rules added by RDP now were found.');
  out(ctx, results, lines.length ? `${lines.join('\n')}\n` : '');
  for (const error of errors) if (!ctx.values.json) process.stderr.write(`rdp-now: ${error}\n`);
  return errors.length ? EXIT.notReady : EXIT.ok;
}

// ------------------------------------------------------------------------------------------ the Bastion route

/** Opens the local end of the tunnel for a report whose route is a Bastion; the session per TCP connection. */
function bastionTunnel(ctx: Context, report: CheckReport, localPort: number): Promise<Tunnel> {
  const bastion = report.target.bastion;
  if (report.target.via !== 'bastion' || !bastion) {
    const why = report.checks.find((c) => c.id === 'bastion')?.summary;
    throw new BastionError(
      why ?? `${report.vm.name} has no Bastion route (give --via bastion to look for one).`,
    );
  }
  const endpoint = bastionEndpoint(bastion.dnsName, ctx.cloud.name, ctx.values['bastion-endpoint']);
  return openTunnel({
    port: localPort,
    openSession: () =>
      requestSession({ endpoint, vmId: report.vm.id, port: report.target.port, armToken: ctx.token }),
    url: (session) => tunnelUrl(endpoint, session),
    closeSession: (session) => deleteSession(endpoint, session),
  });
}

/** Resolves on Ctrl+C / SIGTERM (null) or when the tunnel breaks (its error). */
function untilInterrupted(tunnel: Tunnel, idle?: () => boolean): Promise<Error | null> {
  return new Promise((resolve) => {
    const stop = () => void tunnel.close().then(() => resolve(null));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void tunnel.closed.then(resolve);
    if (idle) {
      const timer = setInterval(() => {
        if (idle()) {
          clearInterval(timer);
          stop();
        }
      }, 1000);
      timer.unref();
      void tunnel.closed.then(() => clearInterval(timer));
    }
  });
}

async function tunnelCommand(ctx: Context): Promise<number> {
  const { report } = await runOnce(ctx);
  if (report.target.via !== 'bastion' || !report.ready) {
    if (!ctx.values.json) process.stderr.write(renderReport(report, ctx.sourceNote));
    const why =
      report.target.via !== 'bastion'
        ? (report.checks.find((c) => c.id === 'bastion')?.summary ??
          `${report.vm.name} has a direct route; "rdp-now connect" reaches it without a tunnel (or give --via bastion).`)
        : 'The VM is not ready: see the checks above.';
    out(ctx, { report, error: why }, `rdp-now: ${why}\n`, true);
    return EXIT.notReady;
  }
  const tunnel = await bastionTunnel(ctx, report, ctx.localPort ?? 0);
  const bastion = report.target.bastion;
  out(
    ctx,
    { address: '127.0.0.1', port: tunnel.port, vm: report.vm.id, bastion },
    `127.0.0.1:${tunnel.port}\nRDP to 127.0.0.1:${tunnel.port} reaches ${report.vm.name} through the Bastion ${bastion?.name}; Ctrl+C closes the tunnel.\n`,
  );
  const error = await untilInterrupted(tunnel);
  if (error) {
    process.stderr.write(`rdp-now: ${error.message}\n`);
    return EXIT.notReady;
  }
  return EXIT.ok;
}

/** How long the tunnel of `connect` waits, with no connection open, before it ends. */
const BASTION_IDLE_MS = 60_000;

/**
 * `connect` on the Bastion route: the tunnel first, then the client at 127.0.0.1:<port> (the .rdp allowlist has
 * no setting that could name the VM instead). The CLI stays until the client has been gone for a while.
 */
async function launchThroughBastion(
  ctx: Context,
  report: CheckReport,
  dryRun: boolean,
  reports: CheckReport[],
  log: string[],
): Promise<number> {
  const tunnel = await bastionTunnel(ctx, report, 0);
  const bastion = report.target.bastion;
  const note = `RDP goes to 127.0.0.1:${tunnel.port}, a tunnel through the Bastion ${bastion?.name} to ${report.vm.name}.`;
  log.push(note);
  if (!ctx.values.json) process.stderr.write(`${note}\n`);
  const rdp = sessionRdp(
    '127.0.0.1',
    tunnel.port,
    ctx.values.user !== undefined ? { username: ctx.values.user } : {},
  );
  let result: Awaited<ReturnType<typeof launch>>;
  try {
    result = await launch(launchInput(ctx, rdp, report, dryRun), {
      machine: ctx.runtime.machine(),
      store: ctx.runtime.store,
      log: ctx.runtime.log,
    });
  } catch (error) {
    await tunnel.close();
    if (!(error instanceof ProtocolError)) throw error;
    return notReady(ctx, reports, log, error.message);
  }
  const verb = dryRun ? 'Would run' : `Started ${result.client} (pid ${result.pid}):`;
  out(ctx, { reports, fixes: log, launch: result }, `${verb} ${result.argv.join(' ')}\n`);
  if (dryRun) {
    await tunnel.close();
    return EXIT.ok;
  }
  let idleSince = Date.now();
  const error = await untilInterrupted(tunnel, () => {
    if (tunnel.connections().open > 0) idleSince = Date.now();
    return Date.now() - idleSince > BASTION_IDLE_MS;
  });
  if (error) {
    process.stderr.write(`rdp-now: ${error.message}\n`);
    return EXIT.notReady;
  }
  return EXIT.ok;
}
