import type { TestProject } from "vitest/node";
import { prepareTemplate, type TemplateInfo } from "./template-db.ts";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: TemplateInfo;
  }
}

/** Builds the migrated template once per run; each test file clones it. */
export default async function setup(project: TestProject) {
  const t0 = performance.now();
  const info = await prepareTemplate();
  project.provide("templateDb", info);
  if (process.env.TEST_DATABASE_URL) {
    console.log(
      `[tests] PostgreSQL backend (TEST_DATABASE_URL), template ready in ${Math.round(performance.now() - t0)} ms`,
    );
  } else {
    console.log(
      `[tests] embedded PGlite backend, template ready in ${Math.round(performance.now() - t0)} ms`,
    );
  }
}
