/** `npm run bench`: the keys of docs/PROTOCOL.md §5 measured here, printed as a table and written to bench/results.json. */
import { writeFileSync } from 'node:fs';
import { bundleSizes } from './bundles';
import { benchChild } from './child';
import { benchClick } from './click';
import { benchClickFirefox } from './click-firefox';
import { benchHost } from './host';

const host = await benchHost();
const check = await benchChild('bench/check.ts');
const bastion = await benchChild('bench/bastion.ts');
const click = await benchClick();
const clickFirefox = await benchClickFirefox();
const results: Record<string, number | null> = {
  ...host,
  ...check,
  ...bastion,
  ...click,
  ...clickFirefox,
  ...bundleSizes(),
};

const round = (n: number | null | undefined) =>
  n === null || n === undefined ? null : Number.isInteger(n) ? n : Math.round(n * 100) / 100;
const rows: Array<[string, string]> = [
  [
    'hostColdStartMs',
    `bare "node -e 0": ${round(host.nodeBareStartMs)} ms (ratio ${round((host.hostColdStartMs ?? 0) / (host.nodeBareStartMs ?? 1))}, goal ≤ 1.3)`,
  ],
  ['hostWarmRoundTripMs', 'hello on an open host'],
  ['hostBytes', 'dist/host, all files'],
  ['checkDepth', 'VM met the first time (goal 2)'],
  ['checkDepthKnown', 'VM seen before (goal 1)'],
  ['checkMs', `simulated ARM at 100 ms per request; naive ${round(check.naiveCheckMs)} ms (goal ≤ half)`],
  ['checkKnownMs', 'the same for a VM seen before'],
  ['naiveCheckMs', 'the same facts one request after another'],
  [
    'checkDepthBastion',
    `vm-bastion met the first time, Resource Graph counted: ${round(bastion.checkDepthBastionGraph)} with it, ${round(bastion.checkDepthBastionNoGraph)} refused (goal ≤ 3)`,
  ],
  ['bastionSetupMs', 'local TCP connect to first relayed byte, simulated Bastion at 100 ms per request'],
  ['bastionThroughputRatio', '64 MiB echoed through the relay ÷ the same direct, one run'],
  ['clickToLaunchMs', 'real browser, click to client started, new VM, ARM at 100 ms (goal ≤ 350)'],
  ['clickToLaunchKnownMs', 'the same for a recent VM (goal ≤ 200)'],
  [
    'clickToLaunchFirefoxMs',
    `the same as clickToLaunchMs in Firefox ESR (goal ≤ 1.5 × ${round(click.clickToLaunchMs)} ms)`,
  ],
  ['contentScriptBytes', 'content.js (goal ≤ 10 KB)'],
  ['backgroundBytes', 'background.js and its imports (the engine and the Azure SDK pipeline)'],
  ['popupBytes', 'the popup page’s scripts (goal ≤ 60 KB)'],
  ['reportPageBytes', 'the in-page report’s scripts'],
  ['offscreenBytes', 'the offscreen document (MSAL)'],
];
console.log(`${'key'.padEnd(22)} ${'value'.padEnd(10)} note`);
for (const [key, note] of rows)
  console.log(`${key.padEnd(22)} ${String(round(results[key])).padEnd(10)} ${note}`);
writeFileSync(
  'bench/results.json',
  `${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v)])), null, 2)}\n`,
);
console.log('written to bench/results.json');
