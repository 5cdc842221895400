import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// `vite dev` proxies API calls to a running Merit server (default http://localhost:8000).
const apiTarget = process.env.MERIT_API_URL ?? "http://localhost:8000";

export default defineConfig({
  plugins: [sveltekit()],
  // The root node_modules hoists cookie@2 (for fastify); SvelteKit needs its own nested cookie@0.6,
  // so bundle it into the build-time server instead of resolving it from the root.
  ssr: { noExternal: ["cookie"] },
  server: {
    proxy: {
      "/api": apiTarget,
      "/healthz": apiTarget,
    },
  },
});
