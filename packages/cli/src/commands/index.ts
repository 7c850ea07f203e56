import type { Command } from "../registry.js";
import { minerCommands } from "./miner.js";
import { accountCommands } from "./account.js";
import { keysCommands } from "./keys.js";
import { usageCommands } from "./usage.js";
import { jobsCommands } from "./jobs.js";
import { chatCommands } from "./chat.js";

/** Every command of the CLI. A new group (keys, usage, jobs, account) goes in its own file and is added here. */
export const commands: readonly Command[] = [...minerCommands, ...accountCommands, ...keysCommands, ...usageCommands, ...jobsCommands, ...chatCommands];
