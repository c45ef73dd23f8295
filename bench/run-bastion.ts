/** `npx tsx bench/run-bastion.ts`: only the Bastion keys of bench/run.ts, printed as JSON (results.json untouched). */
import { benchChild } from './child';

console.log(JSON.stringify(await benchChild('bench/bastion.ts')));
