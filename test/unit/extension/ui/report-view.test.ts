// @vitest-environment happy-dom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ActionFix,
  layerText,
  offersRouteChoice,
  ReportView,
  type ReportViewProps,
  ruleConfirmation,
  targetText,
} from '../../../../extension/ui/report-view';
import type { Check } from '../../../../shared/checks/report';
import { checkReport, SUB } from '../../../support/reports';

const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm1`;
const NSG = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/${name}`;

const pass = (id: Check['id'], summary = `${id} is fine.`): Check => ({
  id,
  status: 'pass',
  summary,
  fixes: [],
});

/** A report of vm1 in rg-prod, which has a DNS name. */
const report = (ready: boolean, checks: Check[], over: Parameters<typeof checkReport>[2] = {}) =>
  checkReport(ready, checks, {
    vm: { id: VM_ID, resourceGroup: 'rg-prod' },
    target: { address: '20.1.2.3', port: 3389, via: 'public-ip', fqdn: 'vm1.westeurope.cloudapp.azure.com' },
    ...over,
  });

const READY = report(true, [
  pass('os'),
  pass('power', 'The VM is running.'),
  pass('address'),
  pass('nsg'),
  pass('jit'),
]);

const NSG_DENIED: Check = {
  id: 'nsg',
  status: 'fail',
  summary: 'The NIC NSG vm1-nsg denies TCP 3389 from 203.0.113.7 (rule DenyAllInBound).',
  fixes: ['add-nsg-rule'],
  detail: {
    subnet: { nsgId: null, access: 'Allow', rule: null },
    nic: { nsgId: NSG('vm1-nsg'), access: 'Deny', rule: 'DenyAllInBound' },
  },
};

const STOPPED = report(
  false,
  [
    { id: 'power', status: 'fail', summary: 'The VM is deallocated: start it.', fixes: ['start-vm'] },
    {
      id: 'address',
      status: 'warn',
      summary: 'The public IP gets its address when the VM starts.',
      fixes: [],
    },
    NSG_DENIED,
    {
      id: 'jit',
      status: 'fail',
      summary: 'Just-in-time access covers port 3389 and no request covers 203.0.113.7.',
      fixes: ['request-jit'],
    },
    {
      id: 'os',
      status: 'unknown',
      summary: 'Azure did not say which operating system the VM runs.',
      fixes: [],
    },
  ],
  {
    vm: { ...READY.vm, powerState: 'deallocated' },
    target: { address: null, port: 3389, via: 'public-ip', fqdn: null },
  },
);

let container: HTMLElement | null = null;

afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
});

function show(props: Partial<ReportViewProps> = {}) {
  const handlers = { onFix: vi.fn<(fix: ActionFix) => void>(), onConnect: vi.fn(), onRetry: vi.fn() };
  container = document.createElement('div');
  document.body.append(container);
  const all: ReportViewProps = {
    vmName: 'vm1',
    report: null,
    busy: null,
    progress: null,
    ...handlers,
    ...props,
  };
  act(() => render(h(ReportView, all), container as HTMLElement));
  return { root: container, ...handlers };
}

const byText = (root: ParentNode, text: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) ?? null;
const row = (root: ParentNode, id: string) => root.querySelector(`li[data-check="${id}"]`) as HTMLElement;
const status = (root: ParentNode) => root.querySelector('[role="status"]')?.textContent?.trim();

describe('ReportView: progress', () => {
  it('says what it is checking in a polite live region before the first report', () => {
    const { root } = show({ busy: { kind: 'check' } });
    const live = root.querySelector('[role="status"]');
    expect(live?.getAttribute('aria-live')).toBe('polite');
    expect(status(root)).toBe('Checking vm1…');
    expect(root.querySelector('h1')?.textContent).toBe('vm1');
    // A live region inside an aria-busy container is held back by screen readers until it is no longer busy.
    expect(live?.closest('[aria-busy="true"]')).toBeNull();
    expect(root.querySelectorAll('li')).toHaveLength(0);
  });

  it('shows the background’s progress line while a fix runs, speaks the step in words, and disables every action', () => {
    const { root } = show({
      report: STOPPED,
      busy: { kind: 'fix', fix: 'start-vm' },
      progress: 'Starting vm1… 12 s',
    });
    expect(root.querySelector('.progress [aria-hidden="true"]:not(.spinner)')?.textContent).toBe(
      'Starting vm1… 12 s',
    );
    // The ticking seconds are not spoken: the live region changes once per step.
    expect(status(root)).toBe('Starting the VM…');
    for (const button of root.querySelectorAll('button')) expect(button.disabled).toBe(true);
    expect(byText(root, 'Start VM')?.getAttribute('aria-busy')).toBe('true');
  });

  it('names the fix in progress before the first progress line arrives', () => {
    const { root } = show({ report: STOPPED, busy: { kind: 'fix', fix: 'request-jit' } });
    expect(status(root)).toBe('Requesting just-in-time access…');
  });

  it('says in words how a fix ended', () => {
    const { root } = show({ report: READY, finished: 'start-vm' });
    expect(status(root)).toBe('The VM is running. vm1 is ready for Remote Desktop.');
  });

  it('says what a launch started: the client and the address', () => {
    const { root } = show({ report: READY, launched: 'mstsc' });
    expect(status(root)).toBe('Started Remote Desktop Connection (mstsc) for 20.1.2.3:3389 via public IP.');
  });
});

describe('ReportView: the report', () => {
  it('shows the VM, where RDP goes and from which IP', () => {
    const { root } = show({ report: READY });
    const facts = root.querySelector('dl')?.textContent ?? '';
    expect(facts).toContain('rg-prod');
    expect(facts).toContain('running');
    expect(facts).toContain('20.1.2.3:3389 via public IP');
    expect(facts).toContain('vm1.westeurope.cloudapp.azure.com');
    expect(facts).toContain('203.0.113.7');
    expect([...root.querySelectorAll('h1,h2,h3')].map((e) => e.tagName)).toEqual([
      'H1',
      'H2',
      'H2',
      'H3',
      'H3',
      'H3',
      'H3',
      'H3',
    ]);
  });

  it('renders each status with an icon and words, not colour alone', () => {
    const { root } = show({ report: STOPPED });
    const words = (id: string) =>
      row(root, id).querySelector('.status')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(words('power')).toBe('✕ Failed');
    expect(words('address')).toBe('! Warning');
    expect(words('os')).toBe('? Unknown');
    expect(row(root, 'power').querySelector('.status [aria-hidden="true"]')?.textContent).toBe('✕');
  });

  it('renders a passed check as passed', () => {
    const { root } = show({ report: READY });
    expect(row(root, 'power').querySelector('.status')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '✓ Passed',
    );
    expect(row(root, 'power').className).toContain('pass');
  });

  it('shows each check’s one-sentence summary under its name', () => {
    const { root } = show({ report: STOPPED });
    expect(row(root, 'power').querySelector('h3')?.textContent).toBe('Power state');
    expect(row(root, 'power').querySelector('.summary')?.textContent).toBe(
      'The VM is deallocated: start it.',
    );
    expect(row(root, 'jit').querySelector('h3')?.textContent).toBe('Just-in-time access');
  });

  it('says a VM that is not ready is not, and how many checks need attention', () => {
    const { root } = show({ report: STOPPED });
    expect(status(root)).toBe('vm1 is not ready: 4 checks need attention.');
    expect(byText(root, 'Connect')).toBeNull();
  });

  it('explains a target without an address or a route', () => {
    const { root } = show({ report: STOPPED });
    expect(root.querySelector('dl')?.textContent).toContain(
      'No address yet (public IP: assigned when the VM starts)',
    );
    expect(targetText({ address: null, port: 3389, via: null, fqdn: null })).toBe('No route to the VM');
    expect(targetText({ address: '2001:db8::4', port: 3389, via: 'private-ip', fqdn: null })).toBe(
      '[2001:db8::4]:3389 via private IP',
    );
    expect(targetText({ address: '20.1.2.9', port: 50001, via: 'load-balancer-nat', fqdn: null })).toBe(
      '20.1.2.9:50001 via load balancer NAT rule',
    );
  });
});

describe('ReportView: NSG detail', () => {
  it('lists both layers: NSG name, what it decided and the deciding rule', () => {
    const { root } = show({ report: STOPPED });
    const lines = [...row(root, 'nsg').querySelectorAll('.layers li')].map((li) => li.textContent);
    expect(lines).toEqual([
      'Subnet: no NSG attached, traffic allowed',
      'Network interface: vm1-nsg denies by rule DenyAllInBound',
    ]);
  });

  it('words an allowing layer, an unreadable one and a decision without a rule name', () => {
    expect(layerText('Subnet', { nsgId: NSG('subnet-nsg'), access: 'Allow', rule: 'AllowRdp' })).toBe(
      'Subnet: subnet-nsg allows by rule AllowRdp',
    );
    expect(layerText('Network interface', { nsgId: NSG('vm1-nsg'), access: null, rule: null })).toBe(
      'Network interface: vm1-nsg could not be read',
    );
    expect(layerText('Subnet', { nsgId: NSG('x'), access: 'Deny', rule: null })).toBe('Subnet: x denies');
  });

  it('shows no layer list for checks without detail', () => {
    const { root } = show({ report: STOPPED });
    expect(row(root, 'power').querySelector('.layers')).toBeNull();
  });
});

describe('ReportView: fixes', () => {
  it('offers one button per fix of each check', () => {
    const { root } = show({ report: STOPPED });
    const fixes = (id: string) => [...row(root, id).querySelectorAll('button')].map((b) => b.textContent);
    expect(fixes('power')).toEqual(['Start VM']);
    expect(fixes('jit')).toEqual(['Request access']);
    expect(fixes('nsg')).toEqual(['Add rule for my IP']);
    expect(fixes('address')).toEqual([]);
    expect(fixes('os')).toEqual([]);
  });

  it('sends "Start VM" and "Request access" at once', () => {
    const { root, onFix } = show({ report: STOPPED });
    act(() => byText(root, 'Start VM')?.click());
    act(() => byText(root, 'Request access')?.click());
    expect(onFix.mock.calls).toEqual([['start-vm'], ['request-jit']]);
  });

  it('asks before adding a rule, saying exactly what will be created', () => {
    const { root, onFix } = show({ report: STOPPED });
    act(() => byText(root, 'Add rule for my IP')?.click());
    expect(onFix).not.toHaveBeenCalled();
    const confirm = row(root, 'nsg').querySelector('fieldset');
    expect(confirm?.textContent).toContain(
      'Add an inbound rule to vm1-nsg that allows TCP from 203.0.113.7/32 to the private IP of vm1 on port 3389?',
    );
    expect(document.activeElement?.textContent).toBe('Add the rule');
    act(() => byText(root, 'Add the rule')?.click());
    expect(onFix.mock.calls).toEqual([['add-nsg-rule']]);
    expect(row(root, 'nsg').querySelector('fieldset')).toBeNull();
  });

  it('adds nothing when the confirmation is cancelled (button or Escape)', () => {
    const { root, onFix } = show({ report: STOPPED });
    act(() => byText(root, 'Add rule for my IP')?.click());
    act(() => byText(root, 'Cancel')?.click());
    expect(row(root, 'nsg').querySelector('fieldset')).toBeNull();
    act(() => byText(root, 'Add rule for my IP')?.click());
    const fieldset = row(root, 'nsg').querySelector('fieldset') as HTMLElement;
    act(() => {
      fieldset.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(row(root, 'nsg').querySelector('fieldset')).toBeNull();
    expect(onFix).not.toHaveBeenCalled();
  });

  it('words the rule for IPv6, for both denying layers and through a load balancer', () => {
    const both: Check = {
      ...NSG_DENIED,
      detail: {
        subnet: { nsgId: NSG('subnet-nsg'), access: 'Deny', rule: 'DenyAllInBound' },
        nic: { nsgId: NSG('vm1-nsg'), access: 'Deny', rule: 'DenyAllInBound' },
      },
    };
    const r = report(false, [both], {
      sourceIp: '2001:db8::7',
      target: { address: '20.1.2.9', port: 50001, via: 'load-balancer-nat', fqdn: null },
    });
    expect(ruleConfirmation(r)).toBe(
      'Add an inbound rule to subnet-nsg and vm1-nsg that allows TCP from 2001:db8::7/128 to the private IP of vm1 on its Remote Desktop port?',
    );
  });

  it('gives "use a private IP" as a hint, not a button', () => {
    const noRoute = report(false, [
      {
        id: 'address',
        status: 'fail',
        summary: 'The VM has no public IP and no load balancer NAT rule to port 3389.',
        fixes: ['use-private-ip'],
      },
    ]);
    const { root } = show({ report: noRoute });
    expect(row(root, 'address').querySelectorAll('button')).toHaveLength(0);
    expect(row(root, 'address').querySelector('.hint')?.textContent).toContain(
      '"Connect to private IP addresses"',
    );
  });
});

describe('ReportView: connect', () => {
  it('offers Connect as the primary action when the report is ready', () => {
    const { root, onConnect } = show({ report: READY });
    const connect = byText(root, 'Connect');
    expect(connect?.className).toContain('primary');
    expect(status(root)).toBe('vm1 is ready for Remote Desktop.');
    act(() => connect?.click());
    expect(onConnect).toHaveBeenCalledTimes(1);
  });

  it('disables Connect while launching and says so', () => {
    const { root } = show({ report: READY, busy: { kind: 'launch' } });
    expect(byText(root, 'Connect')?.disabled).toBe(true);
    expect(status(root)).toBe('Starting Remote Desktop…');
  });

  it('lets a ready VM with a warning connect only on purpose: "Connect anyway", saying why', () => {
    const r = report(true, [
      pass('power'),
      { id: 'jit', status: 'warn', summary: 'JIT unreadable.', fixes: [] },
    ]);
    const { root } = show({ report: r });
    expect(byText(root, 'Connect')).toBeNull();
    expect(byText(root, 'Connect anyway')).not.toBeNull();
    expect(root.textContent).toContain('Not every check could be sure');
    expect(row(root, 'jit').querySelector('.status')?.textContent).toContain('Warning');
  });
});

describe('ReportView: errors', () => {
  it('shows an error as its one sentence with "Try again"', () => {
    const { root, onRetry } = show({
      error: { code: 'E_SIGN_IN', message: 'Sign-in was cancelled: press Try again to sign in.' },
    });
    const alert = root.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Sign-in was cancelled: press Try again to sign in.');
    act(() => byText(root, 'Try again')?.click());
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(status(root)).toBe('');
  });

  it('keeps the last report under an error from a fix', () => {
    const { root } = show({
      report: STOPPED,
      error: {
        code: 'E_ARM_FORBIDDEN',
        message: 'Azure refused to start the VM: you need the VM Contributor role.',
      },
    });
    expect(root.querySelector('[role="alert"]')).not.toBeNull();
    expect(row(root, 'power')).not.toBeNull();
  });

  it('shows a command in the advice as code', () => {
    const { root } = show({
      error: {
        code: 'E_HOST_MISSING',
        message: 'The companion is not installed: run `npx rdp-now install`.',
      },
    });
    expect(root.querySelector('[role="alert"] code')?.textContent).toBe('npx rdp-now install');
  });

  it('the Bastion permission has one action: Connect where the page asks, the options where it cannot', () => {
    const error = { code: 'E_BASTION_PERMISSION' as const, message: 'RDP now needs your permission.' };
    const here = show({ error, onOptions: vi.fn() }).root;
    expect(byText(here, 'Try again')).toBeNull();
    expect(byText(here, 'Open the options')).toBeNull();
    const onOptions = vi.fn();
    const firefox = show({ error, onOptions, permissionsInOptions: true }).root;
    expect(byText(firefox, 'Try again')).toBeNull();
    act(() => byText(firefox, 'Open the options')?.click());
    expect(onOptions).toHaveBeenCalledTimes(1);
  });

  it('has no "Try again" when there is nothing to retry', () => {
    const { root } = show({ error: { code: 'E_INTERNAL', message: 'No.' }, onRetry: undefined });
    expect(byText(root, 'Try again')).toBeNull();
  });
});

describe('ReportView: the Route control', () => {
  const BASTION = report(true, [pass('address'), pass('bastion')], {
    target: { address: '127.0.0.1', port: 3389, via: 'bastion', fqdn: null },
  });
  const NO_ROUTE = report(false, [{ id: 'address', status: 'fail', summary: 'No public IP.', fixes: [] }], {
    target: { address: null, port: 3389, via: null, fqdn: null },
  });
  const radios = (root: ParentNode) =>
    [...root.querySelectorAll<HTMLInputElement>('.route-choice input[type="radio"]')].map((r) => ({
      label: r.parentElement?.textContent?.trim(),
      checked: r.checked,
    }));

  it('is offered for a VM behind a Bastion or with no route, and for any VM with a route chosen', () => {
    expect(offersRouteChoice(BASTION, 'auto')).toBe(true);
    expect(offersRouteChoice(NO_ROUTE, 'auto')).toBe(true);
    expect(offersRouteChoice(READY, 'auto')).toBe(false);
    expect(offersRouteChoice(READY, 'direct')).toBe(true);
  });

  it('shows the three routes with the stored one checked, and a press chooses', () => {
    const onChoose = vi.fn();
    const { root } = show({ report: NO_ROUTE, route: { choice: 'direct', onChoose } });
    expect(root.querySelector('.route-choice legend')?.textContent).toBe('Route');
    expect(radios(root)).toEqual([
      { label: 'Automatic', checked: false },
      { label: 'Direct', checked: true },
      { label: 'Through Azure Bastion', checked: false },
    ]);
    act(() => root.querySelector<HTMLInputElement>('input[value="auto"]')?.click());
    expect(onChoose).toHaveBeenCalledWith('auto');
  });

  it('takes no press while a check runs, and is absent for a VM with a public route and no choice', () => {
    const onChoose = vi.fn();
    const { root } = show({ report: BASTION, busy: { kind: 'check' }, route: { choice: 'auto', onChoose } });
    act(() => root.querySelector<HTMLInputElement>('input[value="direct"]')?.click());
    expect(onChoose).not.toHaveBeenCalled();
    container?.remove();
    const ready = show({ report: READY, route: { choice: 'auto', onChoose } });
    expect(ready.root.querySelector('.route-choice')).toBeNull();
  });
});
