/**
 * The `tensornode` command line: `npm run tensornode -- <command> [options]` from the repository.
 * Errors are one line on stderr and exit code 1; never a stack trace.
 */
import { main } from "./cli.js";
import { CliError } from "./errors.js";
import type { CommandContext } from "./registry.js";

const context: CommandContext = { env: process.env, out: (line) => void process.stdout.write(`${line}\n`), err: (line) => void process.stderr.write(`${line}\n`) };
main(process.argv.slice(2), context).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tensornode: ${error instanceof CliError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exitCode = 1;
  },
);
