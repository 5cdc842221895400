import { type Logger, pino } from "pino";
import type { Config } from "../config.ts";

export type { Logger };

/** The process logger (structured JSON, pino); HTTP requests get child loggers with request ids. */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "*.password",
        "*.refreshToken",
        "*.accessToken",
        "*.token",
      ],
      censor: "[redacted]",
    },
  });
}
