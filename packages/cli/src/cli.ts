/** Runs one `tensornode` command line; see main.ts for the process entry. */
import { parseArgs } from "node:util";
import { commands } from "./commands/index.js";
import { CliError } from "./errors.js";
import { findCommand, helpText, type CommandContext } from "./registry.js";

export async function main(argv: string[], context: CommandContext): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    context.out(helpText(commands));
    return argv.length === 0 ? 1 : 0;
  }
  const found = findCommand(commands, argv);
  if (!found) throw new CliError(`unknown command '${argv.slice(0, 2).join(" ")}'; run tensornode --help`);
  const { command, rest } = found;
  if (rest.includes("--help") && !command.passThrough) {
    context.out(`usage: tensornode ${command.path.join(" ")} ${command.usage}\n${command.summary}`);
    return 0;
  }
  let parsed;
  try {
    parsed = command.passThrough ? { values: {}, positionals: rest } : parseArgs({ args: rest, options: command.options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]}; usage: tensornode ${command.path.join(" ")} ${command.usage}`);
  }
  const code = await command.run(parsed.values, parsed.positionals, context);
  return typeof code === "number" ? code : 0;
}

