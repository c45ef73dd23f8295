/**
 * `npm start`: RDP now on the built-in simulated Azure. The simulated portal, ARM and Entra ID answer at their
 * real host names through Chromium's resolver rules, so the extension runs its production code; the host is
 * registered for that browser's fresh profile; on Linux a real RDP server runs on loopback.
 *
 * On a desktop the browser stays open on a VM page: click "RDP now". With `--headless` (or no display) the demo
 * does the clicking: it opens a deallocated VM's page, signs in, applies the fix, connects, and exits 0 only if
 * the RDP client really authenticated to the local server.
 */
import { parseArgs } from 'node:util';
import { SIM_VM_NAMES, type SimVmName } from './arm/index';
import { startDemo } from './demo';
import { writeDemoClient } from './demo-client';
import { BROWSERS, type BrowserName, launchDemoBrowser, nextState } from './demo-driver';
import { waitFor } from './drive';
import { startRdpServer } from './rdp-server';

const { values: args } = parseArgs({
  options: {
    headless: { type: 'boolean' },
    vm: { type: 'string', default: 'vm-deallocated' },
    browser: { type: 'string', default: 'chromium' },
  },
});
const vmName = args.vm as SimVmName;
const browserName = args.browser as BrowserName;
if (!(SIM_VM_NAMES as readonly string[]).includes(vmName)) {
  console.error(`npm start: --vm must be one of ${SIM_VM_NAMES.join(', ')}.`);
  process.exit(2);
}
if (!(BROWSERS as readonly string[]).includes(browserName)) {
  console.error(`npm start: --browser must be one of ${BROWSERS.join(', ')}.`);
  process.exit(2);
}
const headless = args.headless === true || (process.platform === 'linux' && !process.env.DISPLAY);
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
const demo = await startDemo({ bastionTarget: { host: '127.0.0.1', port: server.port } });
step(
  'simulated Azure ready: portal.azure.com, management.azure.com, login.microsoftonline.com, the Bastions at *.bastion.azure.com',
);
const client = writeDemoClient(server, headless);
const browser = await launchDemoBrowser({
  browser: browserName,
  headless,
  demo,
  user: server.user,
  // Headless, FreeRDP needs a display of its own: the RDP server's virtual one.
  env: { RDPNOW_CLIENT: client.program, ...demo.hostEnv, ...(headless && { DISPLAY: server.display }) },
});
step(
  `${browserName} started with dist/${browserName === 'firefox' ? 'firefox' : 'chrome'}; companion host registered for its profile`,
);

const shutdown = async () => {
  await browser.close().catch(() => undefined);
  await demo.close();
  await server.stop();
  client.remove();
};
const url = demo.vmPageUrl(demo.arm.vm(vmName));

if (!headless) {
  await browser.show(url);
  console.log(`
A simulated VM page is open (${vmName}). Click "RDP now": sign in (simulated Entra ID), apply the fixes, connect.
A real Remote Desktop session to this machine's RDP server opens (password: ${server.password}).
Other VMs: ${SIM_VM_NAMES.filter((n) => n !== vmName)
    .map((n) => `\n  ${demo.vmPageUrl(demo.arm.vm(n))}`)
    .join('')}
Close the browser to finish.`);
  await browser.closed();
  await shutdown();
  process.exit(0);
}

let code = 1;
try {
  const signIn = browser.signInWhenAsked();
  const report = await browser.openVm(url);
  step(`opened the portal page of ${vmName} and clicked "RDP now"`);
  await signIn;
  step(
    'signed in through the simulated Entra ID with no app registration: the host (MSAL Node, as the Azure CLI) showed its page in a tab of this browser',
  );
  // Press what the report offers — a fix, then Connect — until it launches or has nothing more to offer.
  for (let presses = 0; ; presses++) {
    const state = await nextState(report);
    if (state.kind === 'started') break;
    if (state.kind === 'stuck' || presses > 4) {
      throw new Error(
        `the report offers nothing more to press: "${state.kind === 'stuck' ? state.text.trim().replace(/\s+/g, ' ') : 'too many presses'}"`,
      );
    }
    await report.press(state.button);
    // A fix takes a while (a VM start is a long-running operation): its button goes when it is done.
    await waitFor(
      async () => !(await report.buttons().catch((): string[] => [])).includes(state.button),
      `"${state.button}" to finish`,
      120_000,
    );
    step(
      state.button === 'Connect'
        ? 'pressed Connect'
        : `checked: not ready — applied the fix "${state.button}"; checking again`,
    );
  }
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
