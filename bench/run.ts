/** `npm run bench`: the keys of PROTOCOL.md §5 measured here, printed as a table and written to bench/results.json. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { benchHost } from './host';

const size = (file: string) => (existsSync(file) ? statSync(file).size : null);

const host = await benchHost();
const results: Record<string, number | null> = {
  ...host,
  backgroundBytes: size('dist/chrome/background.js'),
};

const round = (n: number | null) => (n === null ? null : Number.isInteger(n) ? n : Math.round(n * 100) / 100);
const rows: Array<[string, number | null, string]> = [
  [
    'hostColdStartMs',
    round(results.hostColdStartMs ?? null),
    `bare "node -e 0": ${round(host.nodeBareStartMs ?? null)} ms (ratio ${round((host.hostColdStartMs ?? 0) / (host.nodeBareStartMs ?? 1))}, goal ≤ 1.3)`,
  ],
  ['hostWarmRoundTripMs', round(results.hostWarmRoundTripMs ?? null), 'hello on an open host'],
  ['hostBytes', results.hostBytes ?? null, 'dist/host, all files'],
  ['backgroundBytes', results.backgroundBytes ?? null, 'dist/chrome/background.js'],
];
console.log('key                    value      note');
for (const [key, value, note] of rows) console.log(`${key.padEnd(22)} ${String(value).padEnd(10)} ${note}`);
writeFileSync(
  'bench/results.json',
  `${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v)])), null, 2)}\n`,
);
console.log('written to bench/results.json');
