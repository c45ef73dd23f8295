/** What the background does for each validated message (router.ts decided who may send it). */
import browser from 'webextension-polyfill';
import { type ActionFixId, allChecksPass, type CheckReport } from '../../shared/checks/report';
import { parseHostPort } from '../../shared/ip';
import { type LaunchResult, launchTitle } from '../../shared/protocol';
import { canonicalizeRdp } from '../../shared/rdp-file';
import { type AzureCloudName, parsePortalUrl, parseVmResourceId } from '../../shared/resource-id';
import { signInAdvice } from '../auth/advice';
import type { TokenBroker } from '../auth/token-broker';
import type { AddedRule, Advice, MessageType, Replies, ReplyOf, RequestOf } from '../messages';
import { parseSettings, type Settings } from '../settings';
import { AdviceError } from './advice-error';
import type { AzureSession } from './azure-session';
import { openBastionTunnel } from './bastion-session';
import type { ClickChecks } from './click-checks';
import type { Grants } from './grants';
import type { NativeHost } from './native-port';
import type { PendingStarts } from './pending-starts';
import { rdpContent } from './rdp-content';
import { recentsStore, rulesStore } from './stores';
import type { TunnelNotices } from './tunnel-notices';

export interface HandlerDeps {
  azure: AzureSession;
  host: NativeHost;
  tokens: TokenBroker;
  grants: Grants;
  clicks: ClickChecks<Replies['ui:check']>;
  starts: PendingStarts;
  notices: TunnelNotices;
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
    os: report.checks.some((c) => c.id === 'os' && c.status === 'fail') ? 'linux' : 'windows',
    ...(connected && { lastConnectedAt: Date.now() }),
  });
}

/**
 * Checks a VM and, for a check the user asked for (`trusted`: it may sign in), records the result among the
 * recent VMs (also when the check fails); `record: false` leaves a passing report for the caller to record.
 * `settings`: a read already under way.
 */
async function checkVm(
  deps: HandlerDeps,
  vmId: string,
  tenant: string | undefined,
  cloud: AzureCloudName,
  trusted: boolean,
  { record = trusted, settings }: { record?: boolean; settings?: Promise<Settings> } = {},
): Promise<CheckReport> {
  try {
    const report = await deps.azure.check(vmId, tenant, cloud, trusted, settings);
    if (record) await remember(report, deps.azure.context(vmId)?.tenant, cloud);
    return report;
  } catch (error) {
    if (!trusted) throw error;
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

/**
 * The `.rdp` content for a VM the last check found ready, with the user's settings. Behind a Bastion it points at
 * the local end of a tunnel the host opens for the launch (no tunnel, no Bastion VM: a download cannot reach it).
 */
async function readyRdp(
  deps: HandlerDeps,
  vmId: string,
  forLaunch: boolean,
  settingsRead: Promise<Settings> = loadSettings(),
) {
  const report = await lastOrFreshReport(deps, vmId);
  if (!report?.ready || !report.target.address) {
    throw new AdviceError({
      code: 'E_NOT_READY',
      message: 'The VM is not ready: check it and apply the fixes first.',
    });
  }
  const settings = await settingsRead;
  let { address, port } = report.target;
  if (report.target.via === 'bastion') {
    if (!forLaunch) throw new AdviceError(BASTION_NEEDS_HOST);
    const cloud = deps.azure.context(report.vm.id)?.cloud ?? settings.cloud;
    port = await openBastionTunnel(deps, report, cloud);
    address = '127.0.0.1';
  }
  return { report, settings, rdp: rdpContent(address, port, settings, report.vm.id) };
}

const BASTION_NEEDS_HOST: Advice = {
  code: 'E_BASTION',
  message:
    'A VM behind an Azure Bastion is reached through a tunnel of the companion host: install it (see the README), then press Connect.',
};

async function launchReady(
  deps: HandlerDeps,
  vmId: string,
  settingsRead?: Promise<Settings>,
): Promise<LaunchResult> {
  const { report, settings, rdp } = await readyRdp(deps, vmId, true, settingsRead);
  const launch = await deps.host.launch(rdp, settings.preferredClient, launchTitle(report.vm.name));
  const ctx = deps.azure.context(report.vm.id);
  await remember(report, ctx?.tenant, ctx?.cloud ?? settings.cloud, true);
  return launch;
}

/**
 * A click's check: a VM every check passed is launched at once, without waiting for the report frame to ask, but
 * not before the click's grant is stored (`granted`). The check and the launch share the settings read at the
 * click, and the report is recorded among the recent VMs with the launch's outcome, after it: no storage read or
 * write stands between a passing check and the client.
 */
async function checkThenLaunch(
  deps: HandlerDeps,
  vmId: string,
  tenant: string | undefined,
  cloud: AzureCloudName,
  settings: Promise<Settings>,
  granted: Promise<unknown>,
): Promise<Replies['ui:check']> {
  return result(async () => {
    const report = await checkVm(deps, vmId, tenant, cloud, true, { record: false, settings });
    const record = () => remember(report, deps.azure.context(vmId)?.tenant, cloud);
    if (!allChecksPass(report)) {
      await record();
      return { report };
    }
    try {
      await granted;
      // Records the report as connected once the client started.
      return { report, launch: await launchReady(deps, vmId, settings) };
    } catch (error) {
      await record();
      return { report, launchError: adviceOf(error) };
    }
  });
}

/**
 * Applies a fix. A start is recorded while it runs: when the worker was stopped in the middle, the report asks
 * again and this resumes it (see pending-starts.ts).
 */
async function fixVm(deps: HandlerDeps, vmId: string, fix: ActionFixId) {
  if (fix !== 'start-vm') return deps.azure.fix(vmId, fix);
  const resume = await deps.starts.underWay(vmId);
  await deps.starts.begin(vmId);
  try {
    return await deps.azure.fix(vmId, fix, { resume });
  } finally {
    await deps.starts.end(vmId);
  }
}

/** What every handler gets besides its message. */
interface Context {
  deps: HandlerDeps;
  origin: Origin;
  /** A report frame acts (and may open a sign-in window) only with the grant our content script handed it. */
  granted: boolean;
}

/** The only requests a report frame sends (report/store.ts); anything else from one is refused. */
const REPORT_REQUESTS: ReadonlySet<MessageType> = new Set([
  'ui:check',
  'ui:fix',
  'ui:launch',
  'ui:rdp-file',
  'ui:close-report',
]);

type Handler<K extends MessageType> = (message: RequestOf<K>, context: Context) => Promise<ReplyOf<K>>;

/** One handler per request type of messages.ts's MESSAGES, each bound to that request's reply type. */
const HANDLERS: { [K in MessageType]: Handler<K> } = {
  'cs:page': async (message, { deps }) => {
    const page = parsePortalUrl(message.url);
    if (!page) return { vm: null };
    // The click is coming: start Node now so the launch does not wait for it.
    deps.host.warmUp();
    const { subscriptionId, resourceGroup, name, id } = page.vm;
    return {
      vm: { id, name, resourceGroup, subscriptionId },
      ...(page.tenant !== undefined && { tenant: page.tenant }),
      cloud: page.cloud,
    };
  },
  'cs:open': async (message, { deps, origin }) => {
    const vm = parseVmResourceId(message.vmId);
    if (!vm || origin.tabId === undefined) return { started: false };
    // Read once for the check and its launch (a failed read fails the check, reported to the frame).
    const settings = loadSettings();
    settings.catch(() => undefined);
    // The click's check runs while its grant is stored, and it (with its one automatic launch) belongs to the one
    // frame this grant goes to; without a stored grant it launches nothing.
    const cloud = message.cloud ?? (await settings).cloud;
    const issued = deps.grants.issue(origin.tabId, vm.id);
    const check = checkThenLaunch(deps, vm.id, message.tenant, cloud, settings, issued);
    const grant = await issued;
    deps.clicks.start(grant, () => check);
    return { started: true, grant };
  },
  'cs:close': async (message, { deps, origin }) => {
    if (origin.tabId === undefined) return { revoked: false };
    await deps.grants.revoke(origin.tabId, message.grant);
    return { revoked: true };
  },
  'ui:check': (message, { deps, origin, granted }) =>
    result(async () => {
      const clicked = origin.reportFrame && granted ? deps.clicks.take(message.grant ?? '') : null;
      if (clicked) return clicked;
      const cloud = message.cloud ?? (await loadSettings()).cloud;
      return { report: await checkVm(deps, message.vmId, message.tenant, cloud, granted) };
    }),
  'ui:fix': async (message, { deps, granted }) => {
    if (!granted) return { ok: false, error: NO_GRANT };
    return result(async () => {
      await lastOrFreshReport(deps, message.vmId);
      const { report, added } = await fixVm(deps, message.vmId, message.fix);
      if (added.length > 0) await rulesStore.add(added);
      // The popup's row of this VM shows the result after the fix, not the failure before it.
      const ctx = deps.azure.context(report.vm.id);
      await remember(report, ctx?.tenant, ctx?.cloud ?? (await loadSettings()).cloud);
      return { report };
    });
  },
  'ui:close-report': async (_message, { origin, granted }) => {
    // Only a report frame holding its tab's grant closes that tab's panel; the content script then revokes it.
    if (!origin.reportFrame || !granted || origin.tabId === undefined) return { closed: false };
    const closed = await browser.tabs
      .sendMessage(origin.tabId, { type: 'bg:close-report' }, { frameId: 0 })
      .then(
        () => true,
        () => false, // no content script there any more (the portal page reloaded)
      );
    return { closed };
  },
  'ui:launch': async (message, { deps, granted }) => {
    if (!granted) return { ok: false, error: NO_GRANT };
    return result(async () => ({ launch: await launchReady(deps, message.vmId) }));
  },
  'ui:rdp-file': async (message, { deps, granted }) => {
    if (!granted) return { ok: false, error: NO_GRANT };
    return result(async () => {
      const { report, rdp } = await readyRdp(deps, message.vmId, false);
      // The canonical form the host would have written: the same allowlist, the same order, nothing added.
      return { fileName: `${report.vm.name}.rdp`, rdp: canonicalizeRdp(rdp).text };
    });
  },
  'ui:launch-address': (message, { deps }) =>
    result(async () => {
      // The host may be a bracketed IPv6 address; the port comes apart, so the two are never confused.
      const target = parseHostPort(message.host);
      if (!target)
        throw new AdviceError({
          code: 'E_BAD_ADDRESS',
          message: `"${message.host}" is not an address to connect to.`,
        });
      const port = message.port ?? target.port ?? 3389;
      const settings = await loadSettings();
      const launch = await deps.host.launch(
        rdpContent(target.host, port, settings, null),
        settings.preferredClient,
      );
      return { launch };
    }),
  'ui:recents': async () => ({ recents: await recentsStore.list() }),
  'ui:recent-update': async (message) => ({
    recents: await recentsStore.update(message.vmId, {
      ...(message.pinned !== undefined && { pinned: message.pinned }),
      ...(message.remove !== undefined && { remove: message.remove }),
    }),
  }),
  'ui:tunnel-notices': async (_, { deps }) => ({ notices: await deps.notices.list() }),
  'ui:tunnel-notice-clear': async (message, { deps }) => ({
    notices: await deps.notices.clear(message.tunnel),
  }),
  'ui:host-status': (_, { deps }) => result(() => deps.host.hello()),
  'ui:auth-state': (_, { deps }) => authState(deps),
  'ui:sign-in': (_, { deps }) =>
    result(async () => {
      const settings = await loadSettings();
      try {
        await deps.azure.signIn(settings);
      } catch (error) {
        if (error instanceof AdviceError) throw error;
        throw new AdviceError(signInAdvice(error, browser.identity.getRedirectURL()));
      }
      return authState(deps);
    }),
  'ui:host-account': (_, { deps }) => result(async () => deps.host.account((await loadSettings()).cloud)),
  'ui:sign-out': async (_, { deps }) => {
    await deps.tokens.signOut();
    return authState(deps);
  },
  'ui:rules': async () => ({ rules: await rulesStore.list() }),
  'ui:remove-rule': (message, { deps }) =>
    result(async () => {
      const rule = (await rulesStore.list()).find(
        (r) => r.nsgId.toLowerCase() === message.nsgId.toLowerCase() && r.ruleName === message.ruleName,
      );
      if (!rule) throw new AdviceError({ code: 'E_NO_SUCH_RULE', message: 'RDP now did not add that rule.' });
      return { rules: await removeAddedRule(deps.azure, rule, true) };
    }),
};

/**
 * Removes a rule the extension added from Azure, in the tenant and cloud its VM was last checked in, then from the
 * store; returns the rules left. The popup's Remove and the expiry alarm (not interactive) both come here.
 */
export async function removeAddedRule(
  azure: AzureSession,
  rule: AddedRule,
  interactive: boolean,
): Promise<AddedRule[]> {
  const recent = (await recentsStore.list()).find((r) => r.id.toLowerCase() === rule.vmId.toLowerCase());
  await azure.removeRule(rule, recent?.tenant, recent?.cloud, interactive);
  return rulesStore.remove(rule.nsgId, rule.ruleName);
}

/** Runs the handler of a request's type: the reply is the one MESSAGES gives for that type. */
function run<K extends MessageType>(type: K, message: RequestOf<K>, context: Context): Promise<ReplyOf<K>> {
  const handler: Handler<K> = HANDLERS[type];
  return handler(message, context);
}

/** Answers one validated request (router.ts decided who may send it) with the reply of its type. */
export async function handle<K extends MessageType>(
  message: RequestOf<K> & { type: K },
  deps: HandlerDeps,
  origin: Origin = {},
): Promise<ReplyOf<K>> {
  if (origin.reportFrame && !REPORT_REQUESTS.has(message.type))
    return { ok: false, error: NO_GRANT } as ReplyOf<K>;
  const granted =
    !origin.reportFrame ||
    ('grant' in message &&
      'vmId' in message &&
      (await deps.grants.allows(origin.tabId, message.grant, message.vmId)));
  return run(message.type, message, { deps, origin, granted });
}

/**
 * Who is signed in: the account of the last token, else (after the worker restarted) the one the host keeps — an
 * `account` request, which reads the host's cache without signing in or touching the network.
 */
async function authState(deps: Pick<HandlerDeps, 'tokens' | 'host'>): Promise<Replies['ui:auth-state']> {
  let account = deps.tokens.account();
  const settings = await loadSettings();
  if (!account && settings.signInMethod === 'host') {
    const kept = await deps.host.account(settings.cloud).catch(() => null);
    account = kept?.accounts[0]?.username ?? null;
  }
  return account ? { signedIn: true, account } : { signedIn: false };
}
