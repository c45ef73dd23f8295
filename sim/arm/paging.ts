/** ARM list answers: `{"value": [...], "nextLink": "<absolute URL of the next page>"}` while more remain. */
import { queryValue, type Reply, type RequestContext } from './context';
import { badRequest } from './errors';

export const PAGE_SIZE = 100;
const TOKEN = '$skiptoken';

export function listPage(ctx: RequestContext, items: readonly unknown[], pageSize = PAGE_SIZE): Reply {
  const token = queryValue(ctx.query, TOKEN);
  const offset = token === undefined ? 0 : decodeToken(token);
  if (offset === null || offset > items.length) {
    throw badRequest('InvalidSkipToken', `The skip token '${token}' is not valid for this list.`);
  }
  const end = offset + pageSize;
  const body: { value: unknown[]; nextLink?: string } = { value: items.slice(offset, end) };
  if (end < items.length) {
    const query = [...ctx.query].filter(([k]) => k.toLowerCase() !== TOKEN);
    query.push([TOKEN, encodeToken(end)]);
    const encode = (s: string) => encodeURIComponent(s).replace(/^%24/, '$');
    body.nextLink = `${ctx.origin}${ctx.rawPath}?${query.map(([k, v]) => `${encode(k)}=${encodeURIComponent(v)}`).join('&')}`;
  }
  return { status: 200, body };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { offset?: unknown } | null)?.offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : null;
  } catch {
    return null;
  }
}
