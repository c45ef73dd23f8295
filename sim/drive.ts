/** Driving the extension as a user would, for `npm start -- --headless` and the browser tests. */
import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core';

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface AxNode {
  role?: { value: string };
  name?: { value: string };
  backendDOMNodeId?: number;
  ignored?: boolean;
}

/**
 * Where the "RDP now" button is: it lives in a closed shadow root, so it is found through the accessibility tree.
 */
export async function findRdpNow(cdp: CDPSession, vmName: string): Promise<{ x: number; y: number }> {
  const button = await waitFor(async () => {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    return nodes.find((n) => {
      const name = n.name?.value ?? '';
      return !n.ignored && n.role?.value === 'button' && name.includes('RDP now') && name.includes(vmName);
    });
  }, `the RDP now button for ${vmName}`);
  const { model } = (await cdp.send('DOM.getBoxModel', {
    backendNodeId: button.backendDOMNodeId as number,
  })) as {
    model: { content: number[] };
  };
  const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
  return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
}

/** Clicks the "RDP now" button by mouse, as a user does. */
export async function clickRdpNow(page: Page, cdp: CDPSession, vmName: string): Promise<void> {
  const { x, y } = await findRdpNow(cdp, vmName);
  await page.mouse.click(x, y);
}

/** Opens a VM's portal page in a new tab, clicks "RDP now", and returns the report frame. */
export async function openReport(
  context: BrowserContext,
  url: string,
  vmName: string,
): Promise<{ page: Page; report: Frame }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(url);
  await clickRdpNow(page, cdp, vmName);
  const report = await waitFor(
    () => page.frames().find((f) => f.url().includes('/report/index.html')),
    'the report',
  );
  return { page, report };
}
