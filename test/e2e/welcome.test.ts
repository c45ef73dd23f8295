/**
 * A first install as a new user meets it, in real Chromium: the set-up page opens by itself and shows every
 * requirement at once; with no host it gives the install command, and once the host is registered "Check again"
 * turns that step done without a reload.
 */
import { expect, it } from 'vitest';
import { launchBrowser, registerHost } from '../../sim/browser';
import { waitFor } from '../../sim/drive';

it('a fresh profile opens the set-up page; Check again finds the host once it is installed', async () => {
  const session = await launchBrowser({ headless: true, installHost: false });
  try {
    const setup = await waitFor(
      () => session.context.pages().find((p) => p.url().endsWith('/welcome/index.html')),
      'the set-up page to open on install',
    );
    await setup.setViewportSize({ width: 900, height: 900 });
    const hostStep = setup.locator('li', { has: setup.getByRole('heading', { name: /RDP now companion/ }) });
    await hostStep.getByText('To do').waitFor({ timeout: 15_000 });
    await expect(hostStep.locator('code').textContent()).resolves.toBe('npx rdp-now install');
    // All four requirements are there at once, each with its state.
    expect(await setup.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'To doThe RDP now companion',
      'WaitingSign-in to Azure',
      'To doYour public IP address',
      'WaitingA Remote Desktop client',
    ]);
    await setup.screenshot({ path: 'test-results/setup-no-host.png' });
    registerHost(session.home);
    await hostStep.getByRole('button', { name: 'Check again' }).click();
    await hostStep.getByText('Done').waitFor({ timeout: 15_000 });
    await expect(hostStep.textContent()).resolves.toMatch(/Version \d+\.\d+\.\d+ is installed and answers/);
    // Focus follows the task: the next step still to do.
    await waitFor(
      () => setup.evaluate(() => document.activeElement?.id === 'step-sign-in'),
      'focus on the sign-in step',
    );
    await setup.screenshot({ path: 'test-results/setup-host-found.png' });
  } finally {
    await session.close();
  }
}, 60_000);
