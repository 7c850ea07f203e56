import { describe, expect, it } from "vitest";
import { compileRoute, matchRoute } from "../../src/gateway/routes.js";

const keys = [
  "GET /pets/dog/1",
  "GET /pets/dog/{id}",
  "GET /pets/{proxy+}",
  "ANY /{proxy+}",
  "ANY /pets/dog/{id}",
  "GET /",
  "$default",
];
const routes = keys.map((key) => compileRoute(key, key));
const matched = (method: string, path: string) => matchRoute(routes, method, path);

describe("HTTP API route matching", () => {
  it("prefers exact paths, then {param}, then {proxy+}, then ANY, then $default (AWS's example)", () => {
    expect(matched("GET", "/pets/dog/1")?.route.routeKey).toBe("GET /pets/dog/1");
    expect(matched("GET", "/pets/dog/2")).toMatchObject({ route: { routeKey: "GET /pets/dog/{id}" }, pathParameters: { id: "2" } });
    expect(matched("GET", "/pets/cat/1")).toMatchObject({ route: { routeKey: "GET /pets/{proxy+}" }, pathParameters: { proxy: "cat/1" } });
    expect(matched("POST", "/pets/dog/2")?.route.routeKey).toBe("ANY /pets/dog/{id}");
    expect(matched("POST", "/store/checkout")).toMatchObject({ route: { routeKey: "ANY /{proxy+}" }, pathParameters: { proxy: "store/checkout" } });
    expect(matched("GET", "/")).toEqual({ route: expect.objectContaining({ routeKey: "GET /" }) });
    // Greedy variables need at least one segment, so "POST /" falls through to $default.
    expect(matched("POST", "/")?.route.routeKey).toBe("$default");
  });

  it("decodes path parameters and leaves malformed escapes as sent", () => {
    expect(matched("GET", "/pets/dog/a%20b%2Fc")?.pathParameters).toEqual({ id: "a b/c" });
    expect(matched("GET", "/pets/dog/%E0%A4%A")?.pathParameters).toEqual({ id: "%E0%A4%A" });
  });

  it("does not let a {param} match an empty segment", () => {
    expect(matchRoute([compileRoute("GET /jobs/{id}", 1)], "GET", "/jobs/")).toBeUndefined();
  });

  it("rejects malformed route keys", () => {
    expect(() => compileRoute("/no-method", 1)).toThrow(/Invalid route key/);
    expect(() => compileRoute("GET /{proxy+}/tail", 1)).toThrow(/last segment/);
  });
});
