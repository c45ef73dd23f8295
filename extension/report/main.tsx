/**
 * The report page, shown in place on a portal VM page (an extension-origin iframe the content script opens) or
 * in a tab: checks the VM named by `?vm=`, shows the report, applies the fixes the user presses, connects. The
 * portal page cannot reach in here: only this document's own clicks send `ui:fix` and `ui:launch`.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { BASTION_ORIGIN_PATTERNS } from '../../shared/bastion-host';
import { GRANT_PATTERN } from '../messages';
import type { RouteChoice } from '../settings';
import { ask, onProgress } from '../ui/background-client';
import { asksForPermissions, openOptions, pageBrowser } from '../ui/page-browser';
import { ReportView } from '../ui/report-view';
import { readRoute, saveRoute } from '../ui/route-store';
import { SETUP_PAGE } from '../ui/setup-steps';
import { allowIpLookup, saveSourceIp } from '../ui/source-ip';
import { createReportStore } from './store';
import { type ReportTarget, targetFromQuery } from './target';
import { guardHelp, guardPresses, type PressGuard } from './visibility';

const browser = pageBrowser();

/** How long "Started …" shows before the panel closes. */
const CLOSE_AFTER_LAUNCH_MS = 1500;

/**
 * Has the background ask this tab's content script to close the panel: an extension-to-tab message, which the
 * portal page can neither send nor forge (unlike `postMessage`), sent only for a frame that holds its grant.
 */
async function closePanel(target: ReportTarget): Promise<void> {
  if (window.top === window || target.grant === undefined) return; // a tab of its own, or a frame no click opened
  // No answer (the worker restarting) leaves the panel with its own close button.
  await ask({ type: 'ui:close-report', vmId: target.vm.id, grant: target.grant }).catch(() => undefined);
}

/**
 * The content script that created this frame transfers it a port on its first load, posted to this origin only
 * (in the URL the portal page could read the grant from its resource timing); over it come the frame's grant
 * and word of every move of the panel (content/view.ts). Only the first port counts. A frame with no port in
 * `waitMs`, or no grant on it, still shows a check, nothing more.
 */
function receiveGrant(target: ReportTarget, guard: PressGuard, waitMs = 400): Promise<void> {
  return new Promise((resolve) => {
    if (window.top === window) return resolve();
    const timer = setTimeout(resolve, waitMs);
    let port: MessagePort | null = null;
    window.addEventListener('message', (event) => {
      const data = event.data as { type?: unknown } | null;
      if (event.source !== window.parent || data?.type !== 'rdp-now-port' || port || !event.ports[0]) return;
      clearTimeout(timer);
      guard.moved(); // the panel has just appeared
      port = event.ports[0];
      port.onmessage = ({ data: notice }: MessageEvent<{ type?: unknown; grant?: unknown } | null>) => {
        if (notice?.type === 'moved') guard.moved();
        if (notice?.type !== 'grant') return;
        if (typeof notice.grant === 'string' && GRANT_PATTERN.test(notice.grant))
          target.grant ??= notice.grant;
        resolve();
      };
    });
  });
}

function start(root: HTMLElement, target: ReportTarget): void {
  const guard = guardPresses(root);
  const store = createReportStore(ask, target, {
    onLaunched: () => setTimeout(() => void closePanel(target), CLOSE_AFTER_LAUNCH_MS),
    refusal: guard.refusal,
    // Firefox's report frame cannot ask (ui/page-browser.ts): there the options page asks, as the sentence says.
    ...(asksForPermissions() && {
      allowBastion: () => browser.permissions.request({ origins: [...BASTION_ORIGIN_PATTERNS] }),
    }),
  });
  onProgress(store.progressed);
  const sourceIp = {
    allowLookup: allowIpLookup,
    saveAddress: saveSourceIp,
    onKnown: () => void store.check(),
  };
  const setupUrl = browser.runtime.getURL(SETUP_PAGE);
  const route = signal<RouteChoice>('auto');
  const routeError = signal<string | null>(null);
  const chooseRoute = async (choice: RouteChoice) => {
    routeError.value = await saveRoute(target.vm.id, choice).catch(
      (e: unknown) =>
        `The route was not stored (${e instanceof Error ? e.message : String(e)}): choose it again.`,
    );
    if (routeError.value !== null) return;
    route.value = choice;
    await store.check();
  };

  function App() {
    return (
      <>
        <ReportView
          vmName={target.vm.name}
          report={store.report.value}
          busy={store.busy.value}
          progress={store.progress.value}
          error={store.error.value}
          launched={store.launched.value}
          finished={store.finished.value}
          sourceIp={sourceIp}
          setupUrl={setupUrl}
          onOptions={openOptions}
          permissionsInOptions={!asksForPermissions()}
          onFix={(fix) => void store.fix(fix)}
          onConnect={() => void store.connect()}
          onRetry={store.retry.value ?? undefined}
          onDownload={() => void store.download().then((file) => file && saveFile(file.fileName, file.bytes))}
          route={{ choice: route.value, onChoose: (choice) => void chooseRoute(choice) }}
        />
        {routeError.value && (
          <p class="notice bad report" role="alert">
            {routeError.value}
          </p>
        )}
        <details class="report guard-help">
          <summary>What guards a press</summary>
          <p>{guardHelp()}</p>
        </details>
      </>
    );
  }

  render(<App />, root);
  // The stored route is shown with the first check, which the background runs on the same choice.
  const stored = readRoute(target.vm.id).then(
    (choice) => {
      route.value = choice;
    },
    () => undefined, // unreadable storage: the control shows Automatic, as the background then checks
  );
  void Promise.all([stored, receiveGrant(target, guard)]).then(() => store.check());
}

/** Hands the bytes to the browser's own download (the page never touches the file system). */
function saveFile(fileName: string, bytes: Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/x-rdp' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const query = new URLSearchParams(location.search);
const theme = query.get('theme');
if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;

const root = document.getElementById('app');
const target = targetFromQuery(location.search);

// Escape closes the panel, as it does when the focus is on the panel's own close button.
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !event.defaultPrevented && event.isTrusted && !('error' in target))
    void closePanel(target);
});
if (root && 'error' in target) {
  render(
    <main class="report">
      <h1>RDP now</h1>
      <div class="notice bad" role="alert">
        <p>{target.error}</p>
      </div>
    </main>,
    root,
  );
} else if (root && 'vm' in target) {
  document.title = `RDP now · ${target.vm.name}`;
  start(root, target);
}
