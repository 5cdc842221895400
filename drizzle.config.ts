import { defineConfig } from "drizzle-kit";

// Tables live beside their feature (`src/modules/<feature>/<feature>.tables.ts`); migrations are generated
// from them with `npm run db:generate -- --name <what-changed>` and committed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/modules/*/*.tables.ts",
  out: "./migrations",
});
