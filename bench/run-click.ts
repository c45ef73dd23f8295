/** `npx tsx bench/run-click.ts`: only the click keys of bench/run.ts, printed as JSON (results.json untouched). */
import { benchClick } from './click';

console.log(JSON.stringify(await benchClick()));
