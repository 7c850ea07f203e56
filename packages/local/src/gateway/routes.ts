/** A compiled HTTP API route key such as "GET /jobs/{id}", "ANY /{proxy+}" or "$default". */
export interface HttpRoute<T> {
  routeKey: string;
  method: string; // "ANY" matches every method
  segments: Segment[];
  target: T;
}

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

export interface RouteMatch<T> {
  route: HttpRoute<T>;
  pathParameters?: Record<string, string>;
}

const DEFAULT_ROUTE = "$default";

export function compileRoute<T>(routeKey: string, target: T): HttpRoute<T> {
  if (routeKey === DEFAULT_ROUTE) return { routeKey, method: "", segments: [], target };
  const match = /^([A-Z]+) (\/.*)$/.exec(routeKey);
  if (!match) throw new Error(`Invalid route key '${routeKey}': expected "METHOD /path" or "$default".`);
  const [, method = "", path = ""] = match;
  const segments = path.split("/").slice(1).map(parseSegment);
  if (segments.slice(0, -1).some((s) => s.kind === "greedy")) {
    throw new Error(`Invalid route key '${routeKey}': a greedy {name+} variable must be the last segment.`);
  }
  return { routeKey, method, segments, target };
}

function parseSegment(text: string): Segment {
  const variable = /^\{([^{}+]+)(\+?)\}$/.exec(text);
  if (!variable) return { kind: "literal", value: text };
  return { kind: variable[2] ? "greedy" : "param", name: variable[1] ?? "" };
}

/**
 * Picks the most specific route, as API Gateway does: segment by segment a literal beats a
 * `{param}`, which beats a greedy `{proxy+}`; on a tie an exact method beats ANY; `$default`
 * comes last. So for GET /pets/dog/1: "GET /pets/dog/1" > "GET /pets/dog/{id}" >
 * "GET /pets/{proxy+}" > "ANY /{proxy+}" > "$default".
 */
export function matchRoute<T>(routes: HttpRoute<T>[], method: string, path: string): RouteMatch<T> | undefined {
  const parts = path.split("/").slice(1);
  let best: { match: RouteMatch<T>; rank: Rank } | undefined;
  for (const route of routes) {
    if (route.routeKey === DEFAULT_ROUTE) continue;
    if (route.method !== "ANY" && route.method !== method) continue;
    const params = bindSegments(route.segments, parts);
    if (!params) continue;
    const rank: Rank = { segments: route.segments.map(specificity), anyMethod: route.method === "ANY" };
    if (!best || compareRanks(rank, best.rank) < 0) {
      best = { match: Object.keys(params).length ? { route, pathParameters: params } : { route }, rank };
    }
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.routeKey === DEFAULT_ROUTE);
  return fallback && { route: fallback };
}

function bindSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === "greedy") {
      // Greedy variables catch child resources only: "/{proxy+}" does not match "/".
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      params[segment.name] = decode(rest);
      return params;
    }
    if (segment.kind === "literal" ? segment.value !== part : part === "") return undefined;
    if (segment.kind === "param") params[segment.name] = decode(part);
  }
  return parts.length === segments.length ? params : undefined;
}

function specificity(segment: Segment): number {
  return segment.kind === "literal" ? 0 : segment.kind === "param" ? 1 : 2;
}

type Rank = { segments: number[]; anyMethod: boolean };

/** Negative when `a` is more specific. Two routes matching one path differ in a segment or have equal length. */
function compareRanks(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const diff = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return Number(a.anyMethod) - Number(b.anyMethod);
}

/** API Gateway hands path parameters over URL-decoded; a malformed escape is passed through as sent. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
