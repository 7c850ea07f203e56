import type { ParseArgsConfig } from "node:util";

/** What a command gets besides its parsed options. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** Progress and results (stdout). */
  out(line: string): void;
  /** Diagnostics (stderr). */
  err(line: string): void;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

/**
 * One `tensornode <group> <name>` command. Commands live in `src/commands/<group>.ts` and are listed
 * in `src/commands/index.ts`; add `keys`, `usage`, `jobs` or `account` there the same way.
 */
export interface Command {
  /** Words after `tensornode`, e.g. ["miner", "register"]. */
  path: readonly string[];
  summary: string;
  /** Usage line after the command words, e.g. "--endpoint <url> [--price <tinybars>]". */
  usage: string;
  options: Options;
  /** Passes unknown flags through in `positionals` (for commands that wrap another program). */
  passThrough?: boolean;
  run(values: Values, positionals: string[], context: CommandContext): Promise<number | void>;
}

export function findCommand(commands: readonly Command[], argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands.filter((c) => c.path.every((word, i) => argv[i] === word));
  const best = matches.sort((a, b) => b.path.length - a.path.length)[0];
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(" ").length));
  return [
    "usage: tensornode <command> [options]",
    "",
    ...commands.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`),
    "",
    "Run `tensornode <command> --help` for a command's options.",
  ].join("\n");
}
