import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit();
});
afterAll(() => merit?.destroy());

describe("HTTP core", () => {
  it("answers unknown API routes with the standard error body", async () => {
    const r = await merit.app.inject({ method: "GET", url: "/api/does-not-exist" });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No route for GET /api/does-not-exist" },
    });
  });

  it("rejects a bad body with 400 naming the problem, before anything runs", async () => {
    const r = await merit.app.inject({
      method: "PATCH",
      url: "/api/admin/settings",
      headers: { "content-type": "application/json" },
      payload: "[1,2]",
    });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.message).toMatch(/body/);
    expect(Array.isArray(body.error.details)).toBe(true);
  });

  it("refuses a query parameter the route does not take, naming it and what the route takes", async () => {
    const typo = await merit.app.inject({ url: "/api/leaderboard?perod=week" });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: [{ field: "querystring.perod" }],
    });
    expect(typo.json().error.message).toMatch(
      /^querystring\.perod: is not a query parameter of this route \(this route takes board, period, /,
    );
    // Intersected query schemas (pagination plus the route's own) take the names of every part.
    const snapshots = await merit.app.inject({
      url: "/api/leaderboard/snapshots?limit=5&offset=0&board=global",
    });
    expect(snapshots.statusCode, snapshots.body).toBe(200);
    const extra = await merit.app.inject({ url: "/api/leaderboard/snapshots?limit=5&bord=global" });
    expect(extra.json().error.details).toEqual([expect.objectContaining({ field: "querystring.bord" })]);
    expect((await merit.app.inject({ url: "/api/leaderboard?period=week&limit=5" })).statusCode).toBe(200);
  });

  it("refuses any query parameter on an API route that takes none, instead of ignoring it", async () => {
    expect((await merit.app.inject({ url: "/api/stats" })).statusCode).toBe(200);
    const days = await merit.app.inject({ url: "/api/stats?days=7" });
    expect(days.statusCode).toBe(400);
    expect(days.json().error).toMatchObject({
      code: "VALIDATION_ERROR",
      message:
        "querystring.days: is not a query parameter of this route (this route takes no query parameters)",
      details: [{ field: "querystring.days" }],
    });
    const campaign = await merit.app.inject({ url: "/api/campaigns/nope?x=1" });
    expect(campaign.json().error.details).toEqual([expect.objectContaining({ field: "querystring.x" })]);
    // Venue's compatibility endpoint takes (and ignores) whatever Venue's front end adds.
    expect((await merit.app.inject({ url: "/api/retrieve/leaderboard-data/?_=1" })).statusCode).toBe(200);
  });

  it("rejects malformed JSON with 400 and the error body", async () => {
    const r = await merit.app.inject({
      method: "PATCH",
      url: "/api/admin/settings",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBeTypeOf("string");
  });

  it("requires authentication on admin routes", async () => {
    const r = await merit.app.inject({ method: "GET", url: "/api/admin/settings" });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe("UNAUTHENTICATED");
  });

  it("serves health, readiness and metrics", async () => {
    expect((await merit.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await merit.app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe("ready");
    const metrics = await merit.app.inject({ url: "/metrics" });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers["content-type"]).toMatch(/text\/plain/);
    expect(metrics.body).toContain('merit_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(metrics.body).toContain("merit_db_pool_connections");
    expect(metrics.body).toContain("merit_jobs");
  });

  it("publishes an OpenAPI 3.1 document and the interactive explorer", async () => {
    const doc = (await merit.app.inject({ url: "/docs/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/info"]).toBeDefined();
    expect(doc.paths["/api/admin/settings"].patch).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    // Every group an operation names is listed, in reading order: participants' groups before admins'.
    const named = new Set<string>();
    for (const ops of Object.values<Record<string, { tags?: string[] }>>(doc.paths))
      for (const op of Object.values(ops)) for (const t of op.tags ?? []) named.add(t);
    const listed = doc.tags.map((t: { name: string }) => t.name);
    expect([...named].sort()).toEqual([...listed].sort());
    expect(listed.indexOf("auth")).toBeLessThan(listed.indexOf("admin"));
    // Responses are named by their status, not the generator's placeholder.
    expect(JSON.stringify(doc)).not.toContain("Default Response");
    expect(doc.paths["/api/auth/login"].post.responses["200"].description).toBe("OK");
    const ui = await merit.app.inject({ url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain("swagger");
    expect(ui.body).toContain("<title>Merit API</title>");
  });

  it("tags each response with a request id and security headers", async () => {
    const r = await merit.app.inject({ url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(r.headers["x-request-id"]).toBe("abc-123");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
    const fresh = await merit.app.inject({ url: "/healthz" });
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports instance info", async () => {
    const info = (await merit.app.inject({ url: "/api/info" })).json();
    expect(info.name).toBe("Merit");
    expect(["embedded", "postgresql"]).toContain(info.database);
    expect(info.counts.users).toBe(0);
  });
});
