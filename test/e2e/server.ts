// Boots the real Merit server (config, embedded database, migrations, seed, jobs, HTTP serving web/build)
// on a random port with a throwaway data directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startMerit } from "../../src/server.ts";

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts Merit for one test file; `env` overrides the defaults (e.g. feature flags). */
export async function startTestServer(env: Record<string, string | undefined> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "merit-e2e-"));
  const server = await startMerit({
    env: {
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  return {
    url: server.url.replace(/\/$/, ""),
    dataDir,
    async stop() {
      try {
        await server.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
