/**
 * The portal content script's logic: on every URL (load and single-page navigation) ask the background whether
 * this is a VM page; show the "RDP now" button for that VM or remove it; open the report in place on a trusted
 * click or the keyboard shortcut (`bg:open-report`), close it on `bg:close-report`, the close button or Escape.
 */
import type { AzureCloudName } from '../../shared/resource-id';
import type { ContentMessage, VmRef } from '../messages';
import { findConnectControl, pageTheme, type Theme } from './place';
import { type ContentRuntime, pageReply, tabMessage } from './runtime';
import { type ButtonView, createButton, createPanel, type PanelView } from './view';
import { watchUrl } from './watch';

export interface PageVm {
  vm: VmRef;
  tenant?: string;
  cloud?: AzureCloudName;
}

/** The VM to show the button for: the background's answer (it parsed the URL with shared/resource-id.ts). */
export function vmForPage(reply: unknown): PageVm | null {
  return pageReply(reply);
}

export interface ReportParams {
  vmId: string;
  tenant?: string | undefined;
  cloud?: AzureCloudName | undefined;
  theme?: Theme | null | undefined;
}

/** The report page's address for a VM: `report/index.html?vm=…[&tenant=…][&cloud=…][&theme=…]`. */
export function reportUrl(page: string, { vmId, tenant, cloud, theme }: ReportParams): string {
  let query = `vm=${encodeURIComponent(vmId)}`;
  if (tenant) query += `&tenant=${encodeURIComponent(tenant)}`;
  if (cloud) query += `&cloud=${cloud}`;
  if (theme) query += `&theme=${theme}`;
  return `${page}?${query}`;
}

/** The frame's grant in the background's answer to `cs:open` (checked by hand, as in runtime.ts). */
function grantOf(reply: unknown): string | null {
  const g = (reply as { grant?: unknown } | null)?.grant;
  return typeof g === 'string' ? g : null;
}

/** Resource ids compare case-insensitively (shared/resource-id.ts's resourceIdKey, without its weight here). */
function sameVm(a: { id: string } | null, b: { id: string } | null): boolean {
  return a !== null && b !== null && a.id.toLowerCase() === b.id.toLowerCase();
}

export interface ContentOptions {
  throttleMs?: number;
  pollMs?: number;
  /** How long after showing the button the portal's "Connect" control is looked for (it renders late). */
  placeForMs?: number;
}

/** Starts the content script on `win`; returns the function that tears everything down. */
export function startContent(win: Window, runtime: ContentRuntime, options: ContentOptions = {}): () => void {
  const doc = win.document;
  const placeForMs = options.placeForMs ?? 10_000;
  let current: PageVm | null = null;
  let button: ButtonView | null = null;
  let anchor: Element | null = null;
  let placeUntil = 0;
  let panel: PanelView | null = null;
  /** The grant of the open panel's frame, revoked when the panel goes. */
  let grant: Promise<string | null> = Promise.resolve(null);
  /** The keyboard shortcut arrived before the background's answer for this URL. */
  let openWhenShown = false;
  let request = 0;
  let stopped = false;

  const send = (message: ContentMessage): Promise<unknown> => {
    try {
      return runtime.sendMessage(message);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  function place(): void {
    if (!button) return;
    anchor = findConnectControl(doc.body ?? doc);
    button.setTheme(pageTheme(doc));
    button.place(anchor);
  }

  function show(page: PageVm): void {
    // A report about another VM would mislead next to this one: it closes. One about this VM stays open.
    if (panel && !sameVm({ id: panel.vmId }, page.vm)) closePanel(false);
    current = page;
    button ??= createButton(doc, toggle);
    button.setVm(page.vm.name);
    button.setExpanded(panel !== null);
    placeUntil = Date.now() + placeForMs;
    place();
    if (openWhenShown) {
      openWhenShown = false;
      openPanel();
    }
  }

  function hide(): void {
    current = null;
    anchor = null;
    button?.remove();
    button = null;
  }

  function openPanel(): void {
    if (!current) {
      openWhenShown = true;
      return;
    }
    if (panel && sameVm(current.vm, { id: panel.vmId })) {
      panel.focus();
      return;
    }
    closePanel(false);
    // The check starts now, in parallel with the report frame loading; for the VM the button showed. Its answer
    // is the fresh grant of the frame created below.
    const open = current;
    grant = send({
      type: 'cs:open',
      vmId: open.vm.id,
      ...(open.tenant !== undefined && { tenant: open.tenant }),
      ...(open.cloud !== undefined && { cloud: open.cloud }),
    }).then(grantOf, () => null);
    const theme = pageTheme(doc);
    const src = reportUrl(runtime.getURL('report/index.html'), {
      vmId: current.vm.id,
      tenant: current.tenant,
      cloud: current.cloud,
      theme,
    });
    const opened = createPanel(
      doc,
      current.vm,
      src,
      () => closePanel(true),
      () => closePanel(false),
    );
    panel = opened;
    void grant.then((g) => opened.hand(g));
    panel.setTheme(theme);
    doc.documentElement.append(panel.host);
    button?.setExpanded(true);
    panel.focus();
  }

  function closePanel(restoreFocus: boolean): void {
    if (!panel) return;
    const hadFocus = panel.hasFocus();
    panel.remove();
    panel = null;
    void grant.then((g) => g && send({ type: 'cs:close', grant: g })).catch(() => undefined);
    grant = Promise.resolve(null);
    button?.setExpanded(false);
    if (restoreFocus && hadFocus) button?.focus();
  }

  function toggle(): void {
    if (panel && current && sameVm(current.vm, { id: panel.vmId })) closePanel(true);
    else openPanel();
  }

  function onUrl(url: string): void {
    if (runtime.id === undefined) {
      stop(); // the extension was reloaded or removed: this copy of the script is an orphan
      return;
    }
    const mine = ++request;
    openWhenShown = false;
    // The button stays while the background answers (a few ms), so moving between one VM's blades never
    // flickers; the answer for the newest URL decides.
    send({ type: 'cs:page', url }).then(
      (reply) => {
        if (stopped || mine !== request) return; // a newer URL is being asked about
        const page = vmForPage(reply);
        if (page) show(page);
        else hide();
      },
      () => {
        if (stopped || mine !== request) return;
        hide();
        if (runtime.id === undefined) stop();
      },
    );
  }

  function onPoll(): void {
    if (!button) return;
    const lost = !button.host.isConnected || (anchor !== null && !anchor.isConnected);
    if (lost || (anchor === null && Date.now() < placeUntil)) place();
  }

  const onMessage = (message: unknown): undefined => {
    const type = tabMessage(message);
    if (type === 'bg:open-report') openPanel();
    else if (type === 'bg:close-report') closePanel(true);
    return undefined;
  };

  let unwatch: (() => void) | null = null;
  runtime.onMessage.addListener(onMessage);
  unwatch = watchUrl(win, {
    onUrl,
    onPoll,
    ...(options.throttleMs !== undefined && { throttleMs: options.throttleMs }),
    ...(options.pollMs !== undefined && { pollMs: options.pollMs }),
  });
  if (stopped) unwatch();

  function stop(): void {
    if (stopped) return;
    stopped = true;
    unwatch?.();
    runtime.onMessage.removeListener(onMessage);
    closePanel(false);
    hide();
  }
  return stop;
}
