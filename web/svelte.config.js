import adapter from "@sveltejs/adapter-static";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // Static SPA: the Merit server serves build/ and answers unknown non-API paths with 200.html.
    adapter: adapter({ pages: "build", assets: "build", fallback: "200.html", strict: true }),
  },
};

export default config;
