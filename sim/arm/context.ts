/** What a route handler gets and gives back. Handlers throw `ArmFailure` for ARM error answers. */
import type { World } from './world';

export interface Reply {
  status: number;
  /** Serialized as JSON; no body when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  /** The path as sent (not decoded), without the query string or a trailing slash. */
  rawPath: string;
  query: URLSearchParams;
  /** `https://{Host header}`: links the simulation hands out point back the way the client came. */
  origin: string;
  /** The parsed JSON body of a PUT or POST. */
  body: unknown;
  /** The template's `{name}` segments, decoded. */
  params: Readonly<Record<string, string>>;
  world: World;
  lroPolls: number;
  now: Date;
  /** Lower-cased RBAC actions the caller lacks (Resource Graph leaves out what they would have shown). */
  denied?: ReadonlySet<string>;
}

/** A template parameter; the router guarantees the ones a route's template names. */
export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no {${name}} parameter`);
  return value;
}

/** A query parameter by case-insensitive name (`$expand`, `$skipToken`, …). */
export function queryValue(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
