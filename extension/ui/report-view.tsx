/**
 * The check report as the report page shows it (docs/PROTOCOL.md §4): the VM, where RDP would go, one row per check
 * with its status in icon and words, the NSG decision per layer, and the fixes the check offers. Pure: it
 * renders its props and calls back; the page (../report/main.tsx) talks to the background.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ACTION_FIX_IDS,
  allChecksPass,
  type Check,
  type CheckId,
  type CheckReport,
  type CheckStatus,
  type FixId,
  type NsgLayerDetail,
} from '../../shared/checks/report';
import type { ClientId } from '../../shared/protocol';
import type { Advice as AdviceType, UiMessage } from '../messages';
import type { RouteChoice } from '../settings';
import { Advice } from './advice';
import { hostPort, resourceName, startedText } from './format';
import { IpUnknown } from './ip-unknown';
import { RouteChoiceControl } from './route-choice';
import { settingName } from './setting-labels';
import { setupStepOf } from './setup-steps';

/** The fixes that are an action (`use-private-ip` is a setting, shown as a hint). */
export type ActionFix = Extract<UiMessage, { type: 'ui:fix' }>['fix'];

/** What the page is waiting for. */
export type Busy = { kind: 'check' } | { kind: 'fix'; fix: ActionFix } | { kind: 'launch' };

export interface ReportViewProps {
  /** The VM's name from the page's own URL, shown before the first report arrives. */
  vmName: string;
  report: CheckReport | null;
  busy: Busy | null;
  /** The background's latest progress line for this VM ("starting… 12 s"). */
  progress: string | null;
  /**
   * The last failure, shown as its one sentence with "Try again" when `onRetry` is given; a missing set-up step
   * instead with that step's action and the set-up page.
   */
  error?: AdviceType | null | undefined;
  /** The client the last launch started. */
  launched?: ClientId | null | undefined;
  onFix(fix: ActionFix): void;
  onConnect(): void;
  onRetry?: (() => void) | undefined;
  /** With no companion host: download the `.rdp` instead (shown only then). */
  onDownload?: (() => void) | undefined;
  /** The fix that finished last (cleared when anything else starts): focus then goes to Connect. */
  finished?: ActionFix | null | undefined;
  /** Making an unknown source IP known in place; absent, the report only says it is unknown. */
  sourceIp?: SourceIpActions | undefined;
  /** The set-up page's address (extension/welcome), linked from every set-up failure. */
  setupUrl?: string | undefined;
  /** Opens the options page (the client id of an app registration is set there). */
  onOptions?: (() => void) | undefined;
  /** This page cannot ask for a permission (Firefox's report frame): the options page does. */
  permissionsInOptions?: boolean | undefined;
  /** The route chosen for this VM and how to change it; absent, the report offers no choice. */
  route?: { choice: RouteChoice; onChoose(choice: RouteChoice): void } | undefined;
}

/** What the report's "Look up my IP" and "Use this address" do; `onKnown` checks again. */
export interface SourceIpActions {
  allowLookup(): Promise<string | null>;
  saveAddress(text: string): Promise<string | null>;
  onKnown(): void;
}

export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  os: 'Operating system',
  power: 'Power state',
  address: 'Address',
  bastion: 'Azure Bastion',
  nsg: 'Network security groups',
  jit: 'Just-in-time access',
};

/** Status in words with an icon beside it: never colour alone. */
export const STATUS_LABELS: Readonly<Record<CheckStatus, { icon: string; text: string }>> = {
  pass: { icon: '✓', text: 'Passed' },
  fail: { icon: '✕', text: 'Failed' },
  warn: { icon: '!', text: 'Warning' },
  unknown: { icon: '?', text: 'Unknown' },
};

export const FIX_LABELS: Readonly<Record<ActionFix, { button: string; running: string; done: string }>> = {
  'start-vm': { button: 'Start VM', running: 'Starting the VM…', done: 'The VM is running.' },
  'request-jit': {
    button: 'Request access',
    running: 'Requesting just-in-time access…',
    done: 'Just-in-time access is granted.',
  },
  'add-nsg-rule': { button: 'Add rule for my IP', running: 'Adding the rule…', done: 'The rule is added.' },
};

/** Why a fix that needs the user's IP is not offered while it is unknown. */
const WAITS_FOR_IP: Partial<Record<CheckId, string>> = {
  jit: 'Request access waits for your IP address (above): just-in-time access is granted to one address.',
  nsg: 'Add rule for my IP waits for your IP address (above): the rule lets in that address alone.',
};

/**
 * Whether the report needs the user's public IP and lacks it: on the Bastion route the source is the Bastion's
 * subnet, and on the private route a public IP would not help (the checks say which address counts there).
 */
export function sourceIpMissing(report: CheckReport): boolean {
  return report.sourceIp === null && report.target.via !== 'bastion' && report.target.via !== 'private-ip';
}

/**
 * Whether the report offers the Route control: the VM has an Azure Bastion in reach or no public route (the
 * target and the `bastion` check say so), or a route is already chosen (so the user can go back to Automatic).
 */
export function offersRouteChoice(report: CheckReport, choice: RouteChoice): boolean {
  return (
    choice !== 'auto' ||
    report.target.via === 'bastion' ||
    report.target.via === null ||
    report.checks.some((c) => c.id === 'bastion')
  );
}

export const PRIVATE_IP_HINT = `Connected over VPN, ExpressRoute or peering? Turn on ${settingName('privateIp')} in the options of RDP now.`;

const VIA_LABELS: Readonly<Record<NonNullable<CheckReport['target']['via']>, string>> = {
  'public-ip': 'public IP',
  'private-ip': 'private IP',
  'load-balancer-nat': 'load balancer NAT rule',
  bastion: 'Azure Bastion',
};

function isActionFix(fix: FixId): fix is ActionFix {
  return ACTION_FIX_IDS.some((f) => f === fix);
}

/** "20.1.2.3:3389 via public IP", or why there is no target. */
export function targetText(target: CheckReport['target']): string {
  if (target.via === null) return 'No route to the VM';
  const via = VIA_LABELS[target.via];
  if (target.address === null) return `No address yet (${via}: assigned when the VM starts)`;
  return `${hostPort(target.address, target.port)} via ${via}`;
}

/** One NSG layer in a sentence: which NSG, what it decided and by which rule. */
export function layerText(layer: 'Subnet' | 'Network interface', detail: NsgLayerDetail): string {
  if (detail.access === null) {
    return detail.nsgId === null
      ? `${layer}: unknown`
      : `${layer}: ${resourceName(detail.nsgId)} could not be read`;
  }
  if (detail.nsgId === null) return `${layer}: no NSG attached, traffic allowed`;
  const name = resourceName(detail.nsgId);
  const verdict = detail.access === 'Allow' ? 'allows' : 'denies';
  return detail.rule === null
    ? `${layer}: ${name} ${verdict}`
    : `${layer}: ${name} ${verdict} by rule ${detail.rule}`;
}

/**
 * Exactly what "Add rule for my IP" creates, in one sentence: an inbound allow rule in each denying NSG, TCP from
 * the source IP alone (/32, /128 for IPv6) to the VM's private IP on its RDP port.
 */
export function ruleConfirmation(report: CheckReport): string {
  const detail = report.checks.find((c) => c.id === 'nsg')?.detail;
  const names = detail
    ? [detail.subnet, detail.nic]
        .filter((l) => l.access === 'Deny' && l.nsgId)
        .map((l) => resourceName(l.nsgId ?? ''))
    : [];
  const where = names.length > 0 ? names.join(' and ') : `the network security group of ${report.vm.name}`;
  const source = report.sourceIp
    ? `${report.sourceIp}/${report.sourceIp.includes(':') ? 128 : 32}`
    : 'your public IP address';
  // Through a load balancer, the port in the report is the front end's; the rule is for the VM's own port.
  const port =
    report.target.via === 'load-balancer-nat' ? 'its Remote Desktop port' : `port ${report.target.port}`;
  return `Add an inbound rule to ${where} that allows TCP from ${source} to the private IP of ${report.vm.name} on ${port}?`;
}

/**
 * The status in words, once per change: what is running, then how it ended. The background's progress line (with
 * its ticking seconds) is shown beside it but never spoken, so a screen reader hears each step once.
 */
export function spokenStatus(props: ReportViewProps): string {
  const { busy, report, launched, vmName, finished } = props;
  if (busy?.kind === 'check') return `Checking ${vmName}…`;
  if (busy?.kind === 'fix') return FIX_LABELS[busy.fix].running;
  if (busy?.kind === 'launch') return 'Starting Remote Desktop…';
  if (launched) return startedText(launched, report ? targetText(report.target) : null);
  if (props.error || !report) return '';
  const done = finished ? `${FIX_LABELS[finished].done} ` : '';
  if (report.ready) return `${done}${report.vm.name} is ready for Remote Desktop.`;
  const open = report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').length;
  return `${done}${report.vm.name} is not ready: ${open === 1 ? '1 check needs' : `${open} checks need`} attention.`;
}

function RuleConfirmation(props: { text: string; onConfirm(): void; onCancel(): void }) {
  const box = useRef<HTMLFieldSetElement>(null);
  useEffect(() => box.current?.querySelector<HTMLButtonElement>('button')?.focus(), []);
  return (
    <fieldset
      class="confirm"
      ref={box}
      onKeyDown={(e) => {
        // Escape cancels, as in a dialog (and does not close the whole panel).
        if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <legend>Confirm the new rule</legend>
      <p>{props.text}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={props.onConfirm}>
          Add the rule
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function CheckRow(props: {
  check: Check;
  report: CheckReport;
  busy: Busy | null;
  ipMissing: boolean;
  onFix(fix: ActionFix): void;
}) {
  const { check, report, busy } = props;
  const [confirming, setConfirming] = useState(false);
  const actionsBox = useRef<HTMLDivElement>(null);
  // After a cancelled confirmation the focus goes back to the button that opened it.
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (!refocus) return;
    setRefocus(false);
    actionsBox.current?.querySelector<HTMLButtonElement>('[data-fix="add-nsg-rule"]')?.focus();
  }, [refocus]);
  const status = STATUS_LABELS[check.status];
  const actions = check.fixes.filter(isActionFix);
  const waits = props.ipMissing && check.status !== 'pass' ? WAITS_FOR_IP[check.id] : undefined;
  return (
    <li class={`check ${check.status}`} data-check={check.id}>
      <div class="check-head">
        <h3>{CHECK_LABELS[check.id]}</h3>
        <span class={`status ${check.status}`}>
          <span aria-hidden="true">{status.icon}</span> {status.text}
        </span>
      </div>
      <p class="summary">{check.summary}</p>
      {check.detail && (
        <ul class="layers" aria-label="Network security groups, per layer">
          <li>{layerText('Subnet', check.detail.subnet)}</li>
          <li>{layerText('Network interface', check.detail.nic)}</li>
        </ul>
      )}
      {check.fixes.includes('use-private-ip') && <p class="hint">{PRIVATE_IP_HINT}</p>}
      {waits && <p class="hint">{waits}</p>}
      {actions.length > 0 && !confirming && (
        <div class="actions" ref={actionsBox}>
          {actions.map((fix) => (
            <button
              key={fix}
              type="button"
              data-fix={fix}
              disabled={busy !== null}
              aria-busy={busy?.kind === 'fix' && busy.fix === fix}
              onClick={() => (fix === 'add-nsg-rule' ? setConfirming(true) : props.onFix(fix))}
            >
              {FIX_LABELS[fix].button}
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <RuleConfirmation
          text={ruleConfirmation(report)}
          onConfirm={() => {
            setConfirming(false);
            props.onFix('add-nsg-rule');
          }}
          onCancel={() => {
            setConfirming(false);
            setRefocus(true);
          }}
        />
      )}
    </li>
  );
}

function VmFacts({ report }: { report: CheckReport }) {
  const { vm, target } = report;
  return (
    <section aria-labelledby="vm-heading">
      <h2 id="vm-heading">Virtual machine</h2>
      <dl class="facts">
        <dt>Resource group</dt>
        <dd>{vm.resourceGroup}</dd>
        <dt>Power state</dt>
        <dd>{vm.powerState ?? 'unknown'}</dd>
        <dt>Target</dt>
        <dd>{targetText(target)}</dd>
        {target.fqdn && (
          <>
            <dt>DNS name</dt>
            <dd>{target.fqdn}</dd>
          </>
        )}
        <dt>Your IP</dt>
        <dd>
          {report.sourceIp ?? (sourceIpMissing(report) ? 'unknown (see above)' : 'not needed on this route')}
        </dd>
      </dl>
    </section>
  );
}

/** A missing set-up step: its sentence, its action, and the set-up page; never a bare "Try again". */
function SetupNeeded(props: ReportViewProps & { error: AdviceType }) {
  const step = setupStepOf(props.error.code);
  const { report } = props;
  return (
    <div class="notice bad" role="alert">
      <p>
        <Advice text={props.error.message} />
      </p>
      {step === 'ip' && props.sourceIp && <IpUnknown idPrefix="setup" {...props.sourceIp} />}
      {step === 'sign-in' && props.error.code === 'E_SIGN_IN_NEEDED' && props.onRetry && (
        <button type="button" class="primary" onClick={props.onRetry} disabled={props.busy !== null}>
          Sign in
        </button>
      )}
      {step === 'sign-in' && props.error.code === 'E_NO_CLIENT_ID' && props.onOptions && (
        <button type="button" class="primary" onClick={props.onOptions}>
          Open the options
        </button>
      )}
      {props.setupUrl && (
        <p>
          <a href={props.setupUrl} target="_blank" rel="noopener">
            Open the set-up page
          </a>{' '}
          to see every step RDP now needs.
        </p>
      )}
      {props.error.code === 'E_HOST_MISSING' && report?.ready && props.onDownload && (
        <>
          <p>
            Or connect without it: download the .rdp file and open it. Windows then shows its security dialog
            for the file; the companion starts your client directly, with no file and no warnings.
          </p>
          <button type="button" onClick={props.onDownload} disabled={props.busy !== null}>
            Download .rdp
          </button>
        </>
      )}
    </div>
  );
}

/**
 * Where the user's next step is, once nothing runs: the failure's action, then Connect, then the IP, then the
 * first fix; else the heading. Called after each check and fix, so the focus follows the task (and comes back
 * into the report after the sign-in window closed).
 */
function focusNextStep(main: HTMLElement): void {
  // A route just chosen: the user stays on the control and hears the new report through the live region.
  if (main.querySelector('.route-choice')?.contains(document.activeElement)) return;
  const next =
    main.querySelector<HTMLElement>('[role="alert"] button:not(:disabled), [role="alert"] a') ??
    main.querySelector<HTMLElement>('.connect button') ??
    main.querySelector<HTMLElement>('.ip-unknown button') ??
    main.querySelector<HTMLElement>('.checks button[data-fix]') ??
    main.querySelector<HTMLElement>('h1');
  next?.focus();
}

export function ReportView(props: ReportViewProps) {
  const { report, busy, error, onRetry } = props;
  const main = useRef<HTMLElement>(null);
  const idle = busy === null;
  // Each time an operation ends (a report, a failure, a finished fix), the focus goes to the next step.
  useEffect(() => {
    if (idle && main.current && (report || error)) focusNextStep(main.current);
  }, [idle, report, error, props.finished]);
  const ipMissing = report !== null && sourceIpMissing(report);
  const setupError = error && setupStepOf(error.code) !== null;
  return (
    <main class="report" ref={main}>
      <header>
        <h1 tabIndex={-1}>{report?.vm.name ?? props.vmName}</h1>
      </header>
      <p class="progress">
        {busy && <span class="spinner" aria-hidden="true" />}
        {busy && props.progress && <span aria-hidden="true">{props.progress}</span>}
        {/* Always in the page, so each change is spoken; hidden from sight while the progress line stands in. */}
        <span role="status" aria-live="polite" class={busy && props.progress ? 'visually-hidden' : undefined}>
          {spokenStatus(props)}
        </span>
      </p>
      {error && setupError && <SetupNeeded {...props} error={error} />}
      {error && !setupError && (
        <div class="notice bad" role="alert">
          <p>
            <Advice text={error.message} />
          </p>
          {error.code === 'E_BASTION_PERMISSION'
            ? // One action: Connect below asks for it, or, where this page cannot ask, the options page does.
              props.permissionsInOptions &&
              props.onOptions && (
                <button type="button" class="primary" onClick={props.onOptions}>
                  Open the options
                </button>
              )
            : onRetry && (
                <button type="button" onClick={onRetry} disabled={busy !== null}>
                  Try again
                </button>
              )}
        </div>
      )}
      {ipMissing && !setupError && props.sourceIp && (
        <IpUnknown idPrefix="report" {...props.sourceIp} disabled={busy !== null} />
      )}
      {report?.ready && (
        <div class="connect">
          {!allChecksPass(report) && (
            <p class="notice warn">
              Not every check could be sure (see the warnings below): read them, then connect if you still
              want to.
            </p>
          )}
          <button
            type="button"
            class="primary"
            disabled={busy !== null}
            aria-busy={busy?.kind === 'launch'}
            onClick={props.onConnect}
          >
            {allChecksPass(report) ? 'Connect' : 'Connect anyway'}
          </button>
        </div>
      )}
      {report && (
        <>
          <VmFacts report={report} />
          {props.route && offersRouteChoice(report, props.route.choice) && (
            <RouteChoiceControl {...props.route} busy={busy !== null} />
          )}
          <section aria-labelledby="checks-heading" aria-busy={busy !== null}>
            <h2 id="checks-heading">Checks</h2>
            <ul class="checks">
              {report.checks.map((check) => (
                <CheckRow
                  key={check.id}
                  check={check}
                  report={report}
                  busy={busy}
                  ipMissing={ipMissing}
                  onFix={props.onFix}
                />
              ))}
            </ul>
          </section>
        </>
      )}
    </main>
  );
}
