/**
 * Runs the prerequisite engine (shared/checks) for the pages: signs in for the VM's tenant and cloud, checks,
 * applies fixes and remembers the last check of each VM, from which the launch is built. Tokens never leave
 * the background: pages get reports, the host gets `.rdp` content.
 */
import browser from 'webextension-polyfill';
import { armAdviceCode } from '../../shared/advice-codes';
import { type Arm, ArmError, createArm } from '../../shared/azure/arm';
import { CLOUDS } from '../../shared/azure/clouds';
import { applyFix, planFix } from '../../shared/checks/apply-fix';
import { CheckError, type CheckOptions, type CheckRun, runCheck } from '../../shared/checks/engine';
import { removeNsgRule } from '../../shared/checks/fixes';
import type { ActionFixId, CheckReport } from '../../shared/checks/report';
import { DEFAULT_IP_LOOKUP_URL, lookupSourceIp } from '../../shared/checks/source-ip';
import { type AzureCloudName, parseVmResourceId, type VmResourceId } from '../../shared/resource-id';
import { NO_CLIENT_ID, signInAdvice } from '../auth/advice';
import { hostTarget } from '../auth/host-sign-in';
import type { AuthTarget, TokenBroker } from '../auth/token-broker';
import type { AddedRule, Advice } from '../messages';
import { IP_LOOKUP_ORIGIN, routeFor, type Settings } from '../settings';
import { settingName } from '../ui/setting-labels';
import { AdviceError } from './advice-error';
import { topologyStore } from './stores';

interface VmContext {
  vm: VmResourceId;
  tenant: string;
  cloud: AzureCloudName;
  run: CheckRun | null;
}

const NO_SOURCE_IP: Advice = {
  code: 'E_NO_SOURCE_IP',
  message: `Your IP address is unknown: type it in ${settingName('sourceIp')} in the options, or turn on ${settingName('ipLookup')} there.`,
};

/**
 * What a VM's check runs on, from the settings: the route chosen for this VM (`auto` looks for an Azure Bastion
 * when there is no direct route), and on the private route only a typed address can be the one Azure sees (a
 * lookup finds the public one).
 */
export function checkOptions(
  settings: Settings,
  vmId: string,
  lookupSourceIp: () => Promise<string | null>,
): CheckOptions {
  return {
    port: 3389,
    via: routeFor(settings, vmId),
    privateMode: settings.privateIp,
    sourceIp: settings.privateIp ? settings.sourceIp || null : lookupSourceIp(),
  };
}

export interface AzureSessionDeps {
  tokens: TokenBroker;
  settings: () => Promise<Settings>;
  progress: (vmId: string, text: string) => void;
}

export class AzureSession {
  private readonly vms = new Map<string, VmContext>();

  constructor(private readonly deps: AzureSessionDeps) {}

  /**
   * Checks a VM; `interactive` allows a sign-in window (a user asked, not a page). `settingsRead`: a read of the
   * settings already under way (a click's, shared with its launch).
   */
  async check(
    vmId: string,
    tenant: string | undefined,
    cloud: AzureCloudName | undefined,
    interactive: boolean,
    settingsRead?: Promise<Settings>,
  ): Promise<CheckReport> {
    const vm = parseVmResourceId(vmId);
    if (!vm)
      throw new AdviceError({ code: 'E_NOT_A_VM', message: 'This is not a virtual machine resource id.' });
    const settings = await (settingsRead ?? this.deps.settings());
    const known = this.vms.get(vm.id.toLowerCase());
    const ctx: VmContext = {
      vm,
      tenant: tenant ?? known?.tenant ?? settings.tenant,
      cloud: cloud ?? known?.cloud ?? settings.cloud,
      run: null,
    };
    this.vms.set(vm.id.toLowerCase(), ctx);
    ctx.run = await this.guard(ctx, settings, interactive, async (arm) =>
      runCheck(arm, vm, {
        ...checkOptions(settings, vm.id, () => this.sourceIp(settings)),
        cache: topologyStore,
      }),
    );
    return ctx.run.report;
  }

  /** The last report of a VM, if it was checked in this session. */
  lastReport(vmId: string): CheckReport | null {
    return this.vms.get(vmId.toLowerCase())?.run?.report ?? null;
  }

  context(vmId: string): { tenant: string; cloud: AzureCloudName } | null {
    const ctx = this.vms.get(vmId.toLowerCase());
    return ctx ? { tenant: ctx.tenant, cloud: ctx.cloud } : null;
  }

  /**
   * Applies one fix from the last report, then checks again; returns the new report and any rule added. `resume`
   * applies it even when the last check no longer offers it: a start a stopped worker left under way.
   */
  async fix(
    vmId: string,
    fix: ActionFixId,
    { resume = false }: { resume?: boolean } = {},
  ): Promise<{ report: CheckReport; added: AddedRule[] }> {
    const ctx = this.vms.get(vmId.toLowerCase());
    const run = ctx?.run;
    if (!ctx || !run) throw new AdviceError({ code: 'E_NOT_CHECKED', message: 'Check the VM first.' });
    if (!resume && !run.report.checks.some((c) => (c.fixes as string[]).includes(fix))) {
      throw new AdviceError({
        code: 'E_NO_SUCH_FIX',
        message: 'The last check offered no such fix: check again.',
      });
    }
    const sourceIp = run.report.sourceIp;
    const added: AddedRule[] = [];
    await this.guard(ctx, await this.deps.settings(), true, async (arm) => {
      const step = planFix(fix, { plan: run.plan, vm: ctx.vm, sourceIp, now: new Date() });
      if (!step) throw new AdviceError(NO_SOURCE_IP);
      if (step.fix === 'start-vm') this.deps.progress(vmId, `Starting ${ctx.vm.name}…`);
      if (step.fix === 'request-jit') {
        this.deps.progress(vmId, `Requesting just-in-time access for ${step.sourceIp}…`);
      }
      await applyFix(arm, step, (event) => {
        if (event.kind === 'starting') {
          // ARM's operation state (`InProgress`) means nothing to a user: the seconds say it is still going.
          this.deps.progress(vmId, `Starting ${ctx.vm.name}… ${event.seconds} s`);
        } else if (event.kind === 'adding-rule') {
          this.deps.progress(vmId, `Adding ${event.rule.name} to ${event.rule.nsgName}…`);
        } else if (step.fix === 'add-nsg-rule') {
          added.push({
            vmId: ctx.vm.id,
            nsgId: event.rule.nsgId,
            ruleName: event.rule.name,
            sourceIp: step.sourceIp,
            expires: event.rule.expires,
          });
        }
      });
    });
    this.deps.progress(vmId, 'Checking again…');
    const report = await this.check(ctx.vm.id, ctx.tenant, ctx.cloud, true);
    return { report, added };
  }

  /** Removes a rule the extension added; `interactive: false` (the expiry alarm) never opens a sign-in window. */
  async removeRule(
    rule: AddedRule,
    tenant: string | undefined,
    cloud: AzureCloudName | undefined,
    interactive = true,
  ): Promise<void> {
    const vm = parseVmResourceId(rule.vmId);
    if (!vm) throw new AdviceError({ code: 'E_NOT_A_VM', message: 'The rule belongs to no known VM.' });
    const settings = await this.deps.settings();
    const ctx: VmContext = {
      vm,
      tenant: tenant ?? settings.tenant,
      cloud: cloud ?? settings.cloud,
      run: null,
    };
    await this.guard(ctx, settings, interactive, (arm) => removeNsgRule(arm, rule.nsgId, rule.ruleName));
  }

  private async sourceIp(settings: Settings): Promise<string | null> {
    if (settings.sourceIp) return settings.sourceIp;
    if (!settings.ipLookup) return null;
    // The lookup host is an optional permission, asked for in the options when the lookup is turned on.
    if (!(await browser.permissions.contains({ origins: [IP_LOOKUP_ORIGIN] }).catch(() => false)))
      return null;
    return lookupSourceIp(DEFAULT_IP_LOOKUP_URL).catch(() => null);
  }

  /** The raw ARM token of a checked VM's tenant and cloud, for its Bastion's session request only. */
  async armToken(vmId: string): Promise<string> {
    const ctx = this.vms.get(vmId.toLowerCase());
    if (!ctx) throw new AdviceError({ code: 'E_NOT_CHECKED', message: 'Check the VM first.' });
    const target = authTarget(await this.deps.settings(), ctx.cloud, ctx.tenant);
    return (await this.deps.tokens.token(target, false)).token;
  }

  /** Signs in for the configured tenant and cloud (the popup's "Sign in"). */
  async signIn(settings: Settings): Promise<void> {
    await this.deps.tokens.token(authTarget(settings, settings.cloud, settings.tenant), true);
  }

  /** An ARM client for the VM's cloud with the user's token; every failure becomes advice. */
  private async guard<T>(
    ctx: VmContext,
    settings: Settings,
    interactive: boolean,
    work: (arm: Arm) => Promise<T>,
  ): Promise<T> {
    const target = authTarget(settings, ctx.cloud, ctx.tenant);
    const cloud = CLOUDS[ctx.cloud];
    const arm = createArm({
      cloud,
      credential: {
        getToken: async () => {
          try {
            const token = await this.deps.tokens.token(target, interactive);
            return { token: token.token, expiresOnTimestamp: token.expiresOn };
          } catch (error) {
            // The host's sign-in already speaks in advice; MSAL's errors here are turned into it.
            if (error instanceof AdviceError || target.method === 'host') throw error;
            throw new AdviceError(signInAdvice(error, target.redirectUri));
          }
        },
      },
    });
    try {
      return await work(arm);
    } catch (error) {
      // Sign-in advice (from the credential) passes through as it is.
      if (error instanceof CheckError)
        throw new AdviceError({ code: armAdviceCode(error.cause.kind), message: error.message });
      if (error instanceof ArmError)
        throw new AdviceError({ code: armAdviceCode(error.kind), message: error.message });
      throw error;
    }
  }
}

/** Who signs in where: the host or the configured app, for the VM's tenant (from the portal URL) and cloud. */
function authTarget(settings: Settings, cloudName: AzureCloudName, tenant: string): AuthTarget {
  if (settings.signInMethod === 'host') return hostTarget(cloudName, tenant);
  if (!settings.clientId) throw new AdviceError(NO_CLIENT_ID);
  const cloud = CLOUDS[cloudName];
  return {
    method: 'app-registration',
    clientId: settings.clientId,
    authority: `https://${cloud.authorityHost}/${tenant}`,
    redirectUri: browser.identity.getRedirectURL(),
    scope: cloud.scope,
  };
}
