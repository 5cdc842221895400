import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "merit-config-"));

describe("config", () => {
  it("uses documented defaults", () => {
    const dir = dataDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(8000);
    expect(c.databaseUrl).toBeNull();
    expect(c.seedDemo).toBe(true);
    expect(c.publicUrl).toBe("http://localhost:8000");
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("lists every problem at once", () => {
    let error: ConfigError | null = null;
    try {
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        LOG_LEVEL: "loud",
        SEED_DEMO: "maybe",
        MAIL_TRANSPORT: "smtp",
        ADMIN_EMAIL: "a@b.c",
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error?.problems.join("\n") ?? "";
    for (const name of ["PORT", "DATABASE_URL", "LOG_LEVEL", "SEED_DEMO", "SMTP_URL", "ADMIN_PASSWORD"]) {
      expect(text).toContain(name);
    }
    expect(error?.problems.length).toBe(6);
  });

  it("requires SECRET_KEY in production and turns demo data off there", () => {
    expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir() })).toThrow(
      /SECRET_KEY is required/,
    );
    const c = loadConfig({ NODE_ENV: "production", SECRET_KEY: "x".repeat(40), DATA_DIR: dataDir() });
    expect(c.seedDemo).toBe(false);
  });

  it("generates a secret key once and keeps it in DATA_DIR", () => {
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(b.secretKey).toBe(a.secretKey);
    expect(readFileSync(path.join(dir, "secret.key"), "utf8").trim()).toBe(a.secretKey);
  });

  it("trusts X-Forwarded-For only from named proxies or a hop count, never from everyone", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy).toEqual([
      "10.0.0.0/8",
      "loopback",
    ]);
    expect(() => loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY/);
  });

  it("reads SEED_DEMO=false", () => {
    expect(loadConfig({ SEED_DEMO: "false", DATA_DIR: dataDir() }).seedDemo).toBe(false);
  });
});
