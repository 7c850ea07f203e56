import type { Command } from "../registry.js";
import { minerCommands } from "./miner.js";

/** Every command of the CLI. A new group (keys, usage, jobs, account) goes in its own file and is added here. */
export const commands: readonly Command[] = [...minerCommands];
