/** What the background does for each validated message (router.ts decided who may send it). */
import browser from 'webextension-polyfill';
import type { CheckReport } from '../../shared/checks/report';
import { parseHostPort } from '../../shared/ip';
import type { LaunchResult } from '../../shared/protocol';
import { type AzureCloudName, parsePortalUrl, parseVmResourceId } from '../../shared/resource-id';
import { signInAdvice } from '../auth/advice';
import type { TokenBroker } from '../auth/token-broker';
import type { Advice, AnyRequest, Replies, ReplyTo } from '../messages';
import { parseSettings, type Settings } from '../settings';
import { AdviceError } from './advice-error';
import type { AzureSession } from './azure-session';
import type { ClickChecks } from './click-checks';
import type { Grants } from './grants';
import type { NativeHost } from './native-port';
import { rdpContent } from './rdp-content';
import { recentsStore, rulesStore } from './stores';

export interface HandlerDeps {
  azure: AzureSession;
  host: NativeHost;
  tokens: TokenBroker;
  grants: Grants;
  clicks: ClickChecks<Replies['ui:check']>;
}

/** Where a message came from, as the browser reports it. */
export interface Origin {
  tabId?: number | undefined;
  /** The sender is a report page (framed in a portal tab, or opened on its own). */
  reportFrame?: boolean;
}

const NO_GRANT: Advice = {
  code: 'E_NOT_OURS',
  message: 'This report was not opened by RDP now: use the "RDP now" button on the VM\'s page.',
};

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get('settings')).settings;
  // storage.managed throws where no policy is set (and in some Firefox builds): then nothing is preset.
  const managed = (await browser.storage.managed?.get().catch(() => ({}))) ?? {};
  return parseSettings(stored, managed);
}

function adviceOf(error: unknown): Advice {
  if (error instanceof AdviceError) return error.advice;
  return {
    code: 'E_INTERNAL',
    message: `Something went wrong: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/** Runs `work`, turning every failure into the `{ok: false, error}` a page shows. */
async function result<T extends object>(
  work: () => Promise<T>,
): Promise<({ ok: true } & T) | { ok: false; error: Advice }> {
  try {
    return { ok: true, ...(await work()) };
  } catch (error) {
    return { ok: false, error: adviceOf(error) };
  }
}

function summaryOf(report: CheckReport): string {
  const failing = report.checks.find((c) => c.status === 'fail' || c.status === 'unknown');
  return report.ready ? 'Ready to connect.' : (failing?.summary ?? 'Not ready.');
}

async function remember(
  report: CheckReport,
  tenant: string | undefined,
  cloud: AzureCloudName,
  connected = false,
) {
  await recentsStore.upsert({
    id: report.vm.id,
    name: report.vm.name,
    resourceGroup: report.vm.resourceGroup,
    subscriptionId: report.vm.subscriptionId,
    ...(tenant !== undefined && { tenant }),
    cloud,
    lastResult: report.ready ? 'ready' : 'not-ready',
    lastSummary: summaryOf(report),
    lastCheckedAt: Date.now(),
    ...(connected && { lastConnectedAt: Date.now() }),
  });
}

/** Checks a VM and records the result among the recent VMs (also when the check fails). */
async function checkVm(
  deps: HandlerDeps,
  vmId: string,
  tenant: string | undefined,
  cloud: AzureCloudName,
  interactive: boolean,
): Promise<CheckReport> {
  try {
    const report = await deps.azure.check(vmId, tenant, cloud, interactive);
    await remember(report, deps.azure.context(vmId)?.tenant, cloud);
    return report;
  } catch (error) {
    const recent = (await recentsStore.list()).find((r) => r.id.toLowerCase() === vmId.toLowerCase());
    if (recent) {
      await recentsStore.upsert({
        ...recent,
        lastResult: 'error',
        lastSummary: adviceOf(error).message,
        lastCheckedAt: Date.now(),
      });
    }
    throw error;
  }
}

/**
 * The last report of a VM; after a worker restart (which loses it) the VM is checked again first, in the tenant
 * and cloud it was last checked in.
 */
async function lastOrFreshReport(deps: HandlerDeps, vmId: string): Promise<CheckReport> {
  const last = deps.azure.lastReport(vmId);
  if (last) return last;
  const recent = (await recentsStore.list()).find((r) => r.id.toLowerCase() === vmId.toLowerCase());
  const settings = await loadSettings();
  return checkVm(deps, vmId, recent?.tenant, recent?.cloud ?? settings.cloud, true);
}

/** Launches the client for a VM whose last check said it is ready. */
async function launchReady(deps: HandlerDeps, vmId: string): Promise<LaunchResult> {
  const report = await lastOrFreshReport(deps, vmId);
  if (!report?.ready || !report.target.address) {
    throw new AdviceError({
      code: 'E_NOT_READY',
      message: 'The VM is not ready: check it and apply the fixes first.',
    });
  }
  const settings = await loadSettings();
  const launch = await deps.host.launch(
    rdpContent(report.target.address, report.target.port, settings, report.vm.id),
    settings.preferredClient,
  );
  const ctx = deps.azure.context(report.vm.id);
  await remember(report, ctx?.tenant, ctx?.cloud ?? settings.cloud, true);
  return launch;
}

/** A click's check: a ready VM is launched at once, without waiting for the report frame to ask. */
async function checkThenLaunch(
  deps: HandlerDeps,
  vmId: string,
  tenant: string | undefined,
  cloud: AzureCloudName,
): Promise<Replies['ui:check']> {
  return result(async () => {
    const report = await checkVm(deps, vmId, tenant, cloud, true);
    if (!report.ready) return { report };
    try {
      return { report, launch: await launchReady(deps, vmId) };
    } catch (error) {
      return { report, launchError: adviceOf(error) };
    }
  });
}

export async function handle<M extends AnyRequest>(
  message: M,
  deps: HandlerDeps,
  origin: Origin = {},
): Promise<ReplyTo<M>> {
  const reply = await dispatch(message, deps, origin);
  return reply as ReplyTo<M>;
}

async function dispatch(
  message: AnyRequest,
  deps: HandlerDeps,
  origin: Origin,
): Promise<Replies[keyof Replies]> {
  const { azure, host, tokens, grants } = deps;
  // A report page acts (and may open a sign-in window) only with the grant our content script handed it.
  const granted =
    !origin.reportFrame || ('grant' in message && (await grants.allows(origin.tabId, message.grant)));
  if ((message.type === 'ui:fix' || message.type === 'ui:launch') && !granted) {
    return { ok: false, error: NO_GRANT };
  }
  const clickKey = (vmId: string) => `${origin.tabId ?? 'none'}|${vmId.toLowerCase()}`;
  switch (message.type) {
    case 'cs:page': {
      const page = parsePortalUrl(message.url);
      if (!page) return { vm: null };
      // The click is coming: start Node now so the launch does not wait for it.
      host.warmUp();
      const { subscriptionId, resourceGroup, name, id } = page.vm;
      return {
        vm: { id, name, resourceGroup, subscriptionId },
        ...(page.tenant !== undefined && { tenant: page.tenant }),
        cloud: page.cloud,
        ...(origin.tabId !== undefined && { grant: await grants.issue(origin.tabId) }),
      };
    }
    case 'cs:open': {
      const vm = parseVmResourceId(message.vmId);
      if (!vm) return { started: false };
      const cloud = message.cloud ?? (await loadSettings()).cloud;
      deps.clicks.start(clickKey(vm.id), () => checkThenLaunch(deps, vm.id, message.tenant, cloud));
      return { started: true };
    }
    case 'ui:check':
      return result(async () => {
        const clicked = origin.reportFrame ? deps.clicks.take(clickKey(message.vmId)) : null;
        if (clicked) return clicked;
        const cloud = message.cloud ?? (await loadSettings()).cloud;
        return { report: await checkVm(deps, message.vmId, message.tenant, cloud, granted) };
      });
    case 'ui:fix':
      return result(async () => {
        await lastOrFreshReport(deps, message.vmId);
        const { report, added } = await azure.fix(message.vmId, message.fix);
        if (added.length > 0) await rulesStore.add(added);
        return { report };
      });
    case 'ui:launch':
      return result(async () => ({ launch: await launchReady(deps, message.vmId) }));
    case 'ui:launch-address':
      return result(async () => {
        // The host may be a bracketed IPv6 address; the port comes apart, so the two are never confused.
        const target = parseHostPort(message.host);
        if (!target)
          throw new AdviceError({
            code: 'E_BAD_ADDRESS',
            message: `"${message.host}" is not an address to connect to.`,
          });
        const port = message.port ?? target.port ?? 3389;
        const settings = await loadSettings();
        const launch = await host.launch(
          rdpContent(target.host, port, settings, null),
          settings.preferredClient,
        );
        return { launch };
      });
    case 'ui:recents':
      return { recents: await recentsStore.list() };
    case 'ui:recent-update':
      return {
        recents: await recentsStore.update(message.vmId, {
          ...(message.pinned !== undefined && { pinned: message.pinned }),
          ...(message.remove !== undefined && { remove: message.remove }),
        }),
      };
    case 'ui:host-status':
      return result(() => host.hello());
    case 'ui:auth-state':
      return authState(tokens);
    case 'ui:sign-in':
      return result(async () => {
        const settings = await loadSettings();
        try {
          await azure.signIn(settings);
        } catch (error) {
          if (error instanceof AdviceError) throw error;
          throw new AdviceError(signInAdvice(error, browser.identity.getRedirectURL()));
        }
        return authState(tokens);
      });
    case 'ui:sign-out':
      await tokens.signOut();
      return authState(tokens);
    case 'ui:rules':
      return { rules: await rulesStore.list() };
    case 'ui:remove-rule':
      return result(async () => {
        const rule = (await rulesStore.list()).find(
          (r) => r.nsgId.toLowerCase() === message.nsgId.toLowerCase() && r.ruleName === message.ruleName,
        );
        if (!rule)
          throw new AdviceError({ code: 'E_NO_SUCH_RULE', message: 'RDP now did not add that rule.' });
        const recent = (await recentsStore.list()).find(
          (r) => r.id.toLowerCase() === rule.vmId.toLowerCase(),
        );
        await azure.removeRule(rule, recent?.tenant, recent?.cloud);
        return { rules: await rulesStore.remove(rule.nsgId, rule.ruleName) };
      });
  }
}

function authState(tokens: TokenBroker): Replies['ui:auth-state'] {
  const account = tokens.account();
  return account ? { signedIn: true, account } : { signedIn: false };
}
