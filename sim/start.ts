/**
 * `npm start`: RDP now on the built-in simulated Azure. The simulated portal, ARM and Entra ID answer at their
 * real host names through Chromium's resolver rules, so the extension runs its production code; the host is
 * registered for that browser's fresh profile; on Linux a real RDP server runs on loopback.
 *
 * On a desktop the browser stays open on a VM page: click "RDP now". With `--headless` (or no display) the demo
 * does the clicking: it opens a deallocated VM's page, signs in, applies the fix, connects, and exits 0 only if
 * the RDP client really authenticated to the local server.
 */
import { CHROMIUM, launchBrowser } from './browser';
import { applyDemoSettings, startDemo } from './demo';
import { writeDemoClient } from './demo-client';
import { openReport, waitFor } from './drive';
import { startRdpServer } from './rdp-server';

const headless =
  process.argv.includes('--headless') || (process.platform === 'linux' && !process.env.DISPLAY);
const started = performance.now();
let last = started;
function step(text: string): void {
  const now = performance.now();
  console.log(
    `[${String(Math.round(now - started)).padStart(6)} ms] ${text} (+${Math.round(now - last)} ms)`,
  );
  last = now;
}

const server = await startRdpServer();
step(`RDP server (FreeRDP shadow, NLA) listening on 127.0.0.1:${server.port}, user ${server.user}`);
const demo = await startDemo();
step('simulated Azure ready: portal.azure.com, management.azure.com, login.microsoftonline.com');
const client = writeDemoClient(server, headless);
const session = await launchBrowser({
  headless,
  hostResolverRules: demo.resolverRules,
  hostConfig: demo.hostConfig,
  // Headless, FreeRDP needs a display of its own: the RDP server's virtual one.
  env: { RDPNOW_CLIENT: client.program, ...(headless && { DISPLAY: server.display }) },
});
step(`${CHROMIUM} started with dist/chrome; companion host registered for its profile`);
await applyDemoSettings(session.worker, server.user);

const shutdown = async () => {
  await session.close().catch(() => undefined);
  await demo.close();
  await server.stop();
  client.remove();
};

if (!headless) {
  const page = await session.context.newPage();
  await page.goto(demo.vmPageUrl(demo.arm.vm('vm-deallocated')));
  console.log(`
A simulated VM page is open. Click "RDP now": sign in (simulated Entra ID), start the VM, connect.
A real Remote Desktop session to this machine's RDP server opens (password: ${server.password}).
Other VMs: ${(['vm-ready', 'vm-jit', 'vm-nsg-deny', 'vm-lb-nat'] as const).map((n) => `\n  ${demo.vmPageUrl(demo.arm.vm(n))}`).join('')}
Close the browser to finish.`);
  await new Promise((resolve) => session.context.on('close', resolve));
  await shutdown();
  process.exit(0);
}

let code = 1;
try {
  const signIn = session.context.waitForEvent('page', {
    predicate: (p) => p.url().includes('login.microsoftonline.com'),
    timeout: 30_000,
  });
  const { report } = await openReport(
    session.context,
    demo.vmPageUrl(demo.arm.vm('vm-deallocated')),
    'vm-deallocated',
  );
  step('opened the portal page of vm-deallocated and clicked "RDP now"');
  const login = await signIn;
  await login.getByRole('button', { name: 'Sign in' }).click();
  step(
    'signed in through the simulated Entra ID with no app registration: the host (MSAL Node, as the Azure CLI) showed its page in a tab of this browser',
  );
  await report.getByRole('button', { name: 'Start VM' }).waitFor({ timeout: 30_000 });
  step(
    `checked: not ready — "${await report.getByText(/The VM is deallocated/).textContent()}" (fix offered: Start VM)`,
  );
  await report.waitForTimeout(400); // as a person reads before pressing (see extension/report/visibility.ts)
  await report.getByRole('button', { name: 'Start VM' }).click();
  await report.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 60_000 });
  step('applied the fix: the VM started; checked again: ready');
  await report.waitForTimeout(400);
  await report.getByRole('button', { name: 'Connect', exact: true }).click();
  await report.getByText(/Started/).waitFor({ timeout: 30_000 });
  step('the host launched the RDP client with the validated .rdp file');
  const [run] = await waitFor(() => client.runs().length > 0 && client.runs(), 'the RDP client', 60_000);
  code = run?.exit === 0 ? 0 : 1;
  step(
    code === 0
      ? `the RDP client authenticated to the local RDP server (NLA): done (the .rdp named ${run?.address})`
      : `the RDP client failed (exit ${run?.exit})`,
  );
} catch (error) {
  console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
}
await shutdown();
process.exit(code);
