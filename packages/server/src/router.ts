import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One route: an exact path, or every path under a prefix ending in `/`. Routes live in small modules
 * (routes/*.ts), each returning its list; the server tries them in order. A route that reads a body
 * reads it with `readBody` (http.ts), under the server's limit.
 */
export interface Route {
  path: string;
  prefix?: boolean;
  methods: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void;
}

export type RouteMatch = { route: Route } | { allow: readonly string[] } | null;

/** The route for a path and method; `allow` when the path exists but not for that method (405). */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  let allow: readonly string[] | null = null;
  for (const route of routes) {
    const hit = route.prefix ? pathname.startsWith(route.path) : pathname === route.path;
    if (!hit) continue;
    if (route.methods.includes(method)) return { route };
    allow ??= route.methods;
  }
  return allow ? { allow } : null;
}
