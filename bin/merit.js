#!/usr/bin/env node
// Runs the TypeScript sources directly (no separate compile step), so a checkout works after `npm install`.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
