#!/usr/bin/env node
// Runs the TypeScript entry through tsx (as `npm run tensornode -- <args>` does from the repository).
import { register } from "tsx/esm/api";
register();
await import("../src/main.ts");
