/**
 * The extension's half of a Bastion tunnel (docs/PROTOCOL.md §2.4): the ARM token stays here. For each TCP
 * connection the host asks for, the background POSTs to the Bastion's own `/api/tokens` (its dnsName, checked
 * against the cloud's Bastion domain; HTTPS; no redirects) and hands the host only the session's tokens.
 * The request goes without the extension's `Origin` (a declarativeNetRequest session rule removes it for the
 * Bastion's host alone): `az network bastion tunnel` sends none, and how a Bastion answers one is unverified.
 */
import * as v from 'valibot';
import browser from 'webextension-polyfill';
import { bastionHostName } from '../../shared/bastion-host';
import type { CheckReport } from '../../shared/checks/report';
import { BastionSessionSchema, type BastionSessionTokens, issueText } from '../../shared/protocol';
import type { AzureCloudName } from '../../shared/resource-id';
import type { Advice } from '../messages';
import { settingName } from '../ui/setting-labels';
import { AdviceError } from './advice-error';
import type { AzureSession } from './azure-session';
import type { NativeHost } from './native-port';
import { closedSentence, type TunnelNotices } from './tunnel-notices';

/** The Bastion's host name, or the one-sentence refusal: nothing is sent anywhere else. */
export function checkedBastionHost(dnsName: string | null | undefined, cloud: AzureCloudName): string {
  const checked = bastionHostName(dnsName, cloud);
  if (!checked.ok) throw new AdviceError({ code: 'E_BASTION', message: checked.reason });
  return checked.host;
}

/**
 * Firefox's report frame cannot ask for a permission (extension/report/main.tsx `allowBastion`): there the option
 * does. Only Firefox has `runtime.getBrowserInfo`.
 */
const asksInOptions = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';

export const BASTION_PERMISSION_ADVICE: Advice = {
  code: 'E_BASTION_PERMISSION',
  message: asksInOptions
    ? `RDP now needs your permission to reach the VM's Azure Bastion: turn on ${settingName('bastionAccess')} in the options, then press Connect.`
    : "RDP now needs your permission to reach the VM's Azure Bastion: press Connect and allow it.",
};

export interface SessionAsk {
  host: string;
  vmId: string;
  port: number;
  armToken: string;
}

/** One session for one TCP connection; a refusal becomes one sentence with the Bastion's own message. */
export async function mintBastionSession(ask: SessionAsk): Promise<BastionSessionTokens> {
  const form = new URLSearchParams({
    resourceId: ask.vmId,
    protocol: 'tcptunnel',
    workloadHostPort: String(ask.port),
    aztoken: ask.armToken,
  });
  let response: Response;
  try {
    response = await fetch(`https://${ask.host}/api/tokens`, {
      method: 'POST',
      body: form,
      redirect: 'error',
      credentials: 'omit',
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AdviceError({
      code: 'E_BASTION',
      message: `The Bastion ${ask.host} could not be reached: check your connection and try again.`,
    });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status !== 200) {
    const said = v.safeParse(v.object({ message: v.pipe(v.string(), v.maxLength(300)) }), body);
    const message = said.success ? `: ${said.output.message.replace(/\.$/, '')}` : '';
    const hint =
      response.status === 401 || response.status === 403
        ? '; check the Reader role on the VM, its NIC and the Bastion, and that native client support is on'
        : '; check the VM again';
    throw new AdviceError({
      code: 'E_BASTION',
      message: `The Bastion refused the session with ${response.status}${message}${hint}.`,
    });
  }
  const session = v.safeParse(BastionSessionSchema, body);
  if (!session.success) {
    throw new AdviceError({
      code: 'E_BASTION',
      message: `The Bastion answered the session request without its tokens (${issueText(session.issues[0])}); try again.`,
    });
  }
  return session.output;
}

/** The id of the session rule that strips `Origin` on a Bastion host's requests from the background. */
const NO_ORIGIN_RULE_BASE = 7000;

/**
 * Removes `Origin` from the background's own requests (no tab) to this Bastion host. Session rules go with the
 * browser session; one per host, so a second Bastion gets its own.
 */
export async function stripOriginFor(host: string): Promise<void> {
  const dnr = (globalThis as { chrome?: typeof chrome }).chrome?.declarativeNetRequest;
  if (!dnr) return;
  const rules = await dnr.getSessionRules();
  if (rules.some((r) => r.condition.requestDomains?.includes(host))) return;
  const id = Math.max(NO_ORIGIN_RULE_BASE, ...rules.map((r) => r.id)) + 1;
  await dnr.updateSessionRules({
    addRules: [
      {
        id,
        priority: 1,
        action: {
          type: 'modifyHeaders' as chrome.declarativeNetRequest.RuleActionType,
          requestHeaders: [
            { header: 'origin', operation: 'remove' as chrome.declarativeNetRequest.HeaderOperation },
          ],
        },
        condition: {
          requestDomains: [host],
          tabIds: [-1],
          resourceTypes: ['xmlhttprequest' as chrome.declarativeNetRequest.ResourceType],
        },
      },
    ],
  });
}

/** What opening a tunnel needs from the background. */
export interface TunnelDeps {
  host: Pick<NativeHost, 'openTunnel'>;
  azure: Pick<AzureSession, 'armToken'>;
  notices: Pick<TunnelNotices, 'add'>;
}

/**
 * Has the host open the local end of a tunnel to a ready Bastion VM and returns its port on 127.0.0.1. The
 * Bastion's host permission is asked for by the report's Connect press (a page can ask, the worker cannot).
 */
export async function openBastionTunnel(
  deps: TunnelDeps,
  report: CheckReport,
  cloud: AzureCloudName,
): Promise<number> {
  const host = checkedBastionHost(report.target.bastion?.dnsName, cloud);
  const allowed = await browser.permissions.contains({ origins: [`https://${host}/*`] }).catch(() => false);
  if (!allowed) throw new AdviceError(BASTION_PERMISSION_ADVICE);
  await stripOriginFor(host);
  const vmId = report.vm.id;
  /** Why the Bastion refused a later connection's session, which the host then closed the tunnel for. */
  let refusal: string | null = null;
  const mint = async () => {
    try {
      return await mintBastionSession({
        host,
        vmId,
        port: report.target.port,
        armToken: await deps.azure.armToken(vmId),
      });
    } catch (error) {
      if (error instanceof AdviceError) refusal = error.advice.message;
      throw error;
    }
  };
  // The first session is minted before the launch: a refusal is one sentence in the report, not a client that
  // fails after the panel closed. It serves the client's first connection; every later one gets a fresh one.
  let first: BastionSessionTokens | null = await mint();
  const names = { vm: report.vm.name, bastion: report.target.bastion?.name ?? host };
  const { port } = await deps.host.openTunnel(
    { cloud, bastion: host },
    {
      mint: async () => {
        const ready = first;
        first = null;
        return ready ?? mint();
      },
      // The report has usually closed by now: a tunnel that failed is told by the badge and the popup. One that
      // ended as it should (its client gone) needs no word.
      closed: (tunnel, end) => {
        if (end.by === 'host' && !end.failed) return;
        const message =
          end.by === 'port'
            ? closedSentence('host-gone', names)
            : (refusal ?? closedSentence('dropped', names));
        void deps.notices.add({ tunnel, vmId, vmName: report.vm.name, message }).catch(() => undefined);
      },
    },
  );
  return port;
}
