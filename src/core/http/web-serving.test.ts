// The built web app as the server serves it: files by path, the SPA shell for client-side routes,
// and a rebuild (new hashed asset names, a new shell) served without restarting the server.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { type App, createHttpApp } from "./app.ts";
import { createMetrics } from "./metrics.ts";

const webDir = mkdtempSync(path.join(tmpdir(), "merit-web-"));
let app: App;

beforeAll(async () => {
  writeFileSync(path.join(webDir, "200.html"), "<html>shell one</html>");
  writeFileSync(path.join(webDir, "app.one.js"), "console.log(1)");
  app = await createHttpApp({
    config: { corsOrigins: [], publicUrl: "http://localhost:8000", nodeEnv: "test", trustProxy: false },
    logger: createLogger({ logLevel: "silent" }),
    metrics: createMetrics({
      poolStats: () => ({ total: 0, idle: 0, waiting: 0 }),
      jobCounts: async () => [],
    }),
    version: "test",
    webDir,
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe("web app serving", () => {
  it("serves files by path, the shell for client-side routes, and JSON 404s under /api", async () => {
    expect((await app.inject({ url: "/app.one.js" })).body).toBe("console.log(1)");
    const route = await app.inject({ url: "/leaderboard", headers: { accept: "text/html" } });
    expect(route.statusCode).toBe(200);
    expect(route.body).toBe("<html>shell one</html>");
    const api = await app.inject({ url: "/api/nothing-here" });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("NOT_FOUND");
  });

  it("serves a rebuilt app without a restart: new assets by their new names, the new shell", async () => {
    writeFileSync(path.join(webDir, "app.two.js"), "console.log(2)");
    writeFileSync(path.join(webDir, "200.html"), "<html>shell two</html>");
    // A rebuild within the same clock tick still reads as changed.
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(webDir, "200.html"), later, later);
    const asset = await app.inject({ url: "/app.two.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe("console.log(2)");
    const route = await app.inject({ url: "/campaigns/x", headers: { accept: "text/html" } });
    expect(route.body).toBe("<html>shell two</html>");
  });
});
