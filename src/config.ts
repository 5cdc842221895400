// The only reader of process.env: validated once at boot, then frozen.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type NodeEnv = "development" | "production" | "test";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type MailTransportKind = "log" | "smtp" | "postmark";

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** PostgreSQL connection string; null means the embedded PGlite database in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  publicUrl: string;
  logLevel: LogLevel;
  secretKey: string;
  seedDemo: boolean;
  corsOrigins: string[];
  /**
   * Which hops may set X-Forwarded-For (the client address used by rate limits and logs): false (the
   * socket's peer is the client), a hop count, or proxy addresses/CIDRs. Never "everyone": a client
   * could then pick its own address and slip past every per-address limit.
   */
  trustProxy: false | number | string[];
  adminEmail: string | null;
  adminPassword: string | null;
  mail: {
    transport: MailTransportKind;
    from: string;
    smtpUrl: string | null;
    postmarkServerToken: string | null;
  };
  bitcointalkUrl: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const NODE_ENVS: NodeEnv[] = ["development", "production", "test"];
const MAIL_TRANSPORTS: MailTransportKind[] = ["log", "smtp", "postmark"];

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const oneOf = <T extends string>(name: string, allowed: T[], fallback: T): T => {
    const v = str(name);
    if (v === undefined) return fallback;
    if (!(allowed as string[]).includes(v)) {
      problems.push(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
      return fallback;
    }
    return v as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = str(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (["1", "true", "yes", "on"].includes(v)) return true;
    if (["0", "false", "no", "off"].includes(v)) return false;
    problems.push(`${name} must be true or false (got "${v}")`);
    return fallback;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const v = str(name);
    if (v === undefined) return null;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must use ${protocols.join(" or ")} (got "${u.protocol}")`);
      }
      return v;
    } catch {
      problems.push(`${name} is not a valid URL`);
      return null;
    }
  };

  const nodeEnv = oneOf("NODE_ENV", NODE_ENVS, "development");
  const production = nodeEnv === "production";

  let port = 8000;
  const portText = str("PORT");
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`PORT must be an integer between 0 and 65535 (got "${portText}")`);
      port = 8000;
    }
  }
  const host = str("HOST") ?? "0.0.0.0";
  const databaseUrl = url("DATABASE_URL", ["postgres:", "postgresql:"]);
  const dataDir = path.resolve(str("DATA_DIR") ?? "./data");
  const publicUrl = (url("PUBLIC_URL", ["http:", "https:"]) ?? `http://localhost:${port || 8000}`).replace(
    /\/+$/,
    "",
  );
  const logLevel = oneOf("LOG_LEVEL", LOG_LEVELS, nodeEnv === "test" ? "silent" : "info");

  let secretKey = str("SECRET_KEY");
  if (secretKey !== undefined && secretKey.length < 32) {
    problems.push("SECRET_KEY must be at least 32 characters");
  }
  if (secretKey === undefined && production) {
    problems.push("SECRET_KEY is required when NODE_ENV=production");
  }

  const seedDemo = bool("SEED_DEMO", !production);
  const corsOrigins = (str("CORS_ORIGINS") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  const trustProxy = parseTrustProxy(str("TRUST_PROXY"), problems);

  const adminEmail = str("ADMIN_EMAIL") ?? null;
  const adminPassword = str("ADMIN_PASSWORD") ?? null;
  if ((adminEmail === null) !== (adminPassword === null)) {
    problems.push("ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  }

  const transport = oneOf("MAIL_TRANSPORT", MAIL_TRANSPORTS, "log");
  const smtpUrl = url("SMTP_URL", ["smtp:", "smtps:"]);
  const postmarkServerToken = str("POSTMARK_SERVER_TOKEN") ?? null;
  if (transport === "smtp" && smtpUrl === null)
    problems.push("SMTP_URL is required when MAIL_TRANSPORT=smtp");
  if (transport === "postmark" && postmarkServerToken === null) {
    problems.push("POSTMARK_SERVER_TOKEN is required when MAIL_TRANSPORT=postmark");
  }
  const bitcointalkUrl = url("BITCOINTALK_URL", ["http:", "https:"]);

  if (problems.length > 0) throw new ConfigError(problems);

  if (secretKey === undefined) secretKey = loadOrCreateSecretKey(dataDir);

  return Object.freeze({
    nodeEnv,
    port,
    host,
    databaseUrl,
    dataDir,
    publicUrl,
    logLevel,
    secretKey,
    seedDemo,
    corsOrigins,
    trustProxy,
    adminEmail,
    adminPassword,
    mail: Object.freeze({
      transport,
      from: str("MAIL_FROM") ?? "Merit <no-reply@merit.local>",
      smtpUrl,
      postmarkServerToken,
    }),
    bitcointalkUrl,
  });
}

/** TRUST_PROXY: unset/false, a hop count (1 behind one reverse proxy), or comma-separated addresses/CIDRs. */
function parseTrustProxy(v: string | undefined, problems: string[]): false | number | string[] {
  if (v === undefined || ["0", "false", "no", "off"].includes(v.toLowerCase())) return false;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const address = /^(?:[0-9.]+|[0-9a-f:]+)(?:\/\d{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/i;
  const bad = list.filter((s) => !address.test(s));
  if (bad.length > 0 || list.length === 0) {
    problems.push(
      `TRUST_PROXY must be false, a hop count or proxy addresses/CIDRs (got "${v}"); "true" would let any client choose its address`,
    );
    return false;
  }
  return list;
}

/** Outside production an unset SECRET_KEY is generated once and kept in DATA_DIR so sessions survive restarts. */
function loadOrCreateSecretKey(dataDir: string): string {
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(48).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
