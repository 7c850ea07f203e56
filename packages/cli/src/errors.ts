/** An error meant for the user: main prints its message as one line and exits 1, never a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
}
