/**
 * Matches a request to a route (segment by segment, literals case-insensitively: ARM ids are case-insensitive)
 * and applies what ARM checks before the resource provider sees it: the subscription, the caller's permission
 * (RBAC) for the route's action, then the resource group.
 */
import type { Reply, RequestContext } from './context';
import {
  authorizationFailed,
  methodNotAllowed,
  noRoute,
  resourceGroupNotFound,
  subscriptionNotFound,
} from './errors';
import { RESOURCE_GROUPS, SUBSCRIPTION_ID } from './ids';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface Route {
  method: Method;
  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/…/{name}`; `{sub}` and `{rg}` are checked here. */
  template: string;
  /** The RBAC action the request needs, e.g. `Microsoft.Network/networkInterfaces/read`. */
  action: string;
  /** The last segment names an action on the resource before it (`…/start`): the 403's scope is that resource. */
  actionSegment?: boolean;
  handle(ctx: RequestContext): Reply;
}

type Segment = { literal: string } | { param: string };

interface Compiled {
  route: Route;
  segments: Segment[];
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({
      route,
      segments: route.template
        .split('/')
        .filter(Boolean)
        .map((s) =>
          s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, -1) } : { literal: s.toLowerCase() },
        ),
    }));
  }

  /**
   * Answers the request or throws the `ArmFailure` ARM would answer with. `denied` holds lower-cased actions the
   * caller lacks.
   */
  dispatch(ctx: Omit<RequestContext, 'params'>, denied: ReadonlySet<string>): Reply {
    const parts = ctx.rawPath.split('/').filter(Boolean).map(decodeSegment);
    let pathMatched = false;
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== ctx.method) continue;

      const sub = params.sub;
      if (sub !== undefined && sub.toLowerCase() !== SUBSCRIPTION_ID) throw subscriptionNotFound(sub);
      if (denied.has(route.action.toLowerCase())) {
        const scope = `/${(route.actionSegment ? parts.slice(0, -1) : parts).join('/')}`;
        throw authorizationFailed(route.action, scope);
      }
      const group = params.rg;
      if (group !== undefined && !RESOURCE_GROUPS.some((g) => g.toLowerCase() === group.toLowerCase())) {
        throw resourceGroupNotFound(group);
      }
      return route.handle({ ...ctx, params });
    }
    if (pathMatched) throw methodNotAllowed(ctx.method);
    throw noRoute(`${ctx.origin}${ctx.rawPath}`);
  }
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] ?? '';
    if ('literal' in segment) {
      if (part.toLowerCase() !== segment.literal) return null;
    } else {
      params[segment.param] = part;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
