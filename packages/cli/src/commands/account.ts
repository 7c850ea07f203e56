import { readFileSync } from "node:fs";
import { CliError } from "../errors.js";
import type { Command } from "../registry.js";
import { clientOptions, hbar, sdkClient, sdkCommand } from "./sdk-client.js";

/** `tensornode account`: balance and deposit instructions of the account behind the API key. */
const show: Command = sdkCommand({
  path: ["account"],
  summary: "show the account's balance and how to top it up",
  usage: "[--api-key <key>] [--api-url <url>] [--json]",
  options: clientOptions,
  async run(values, _positionals, context) {
    const account = await sdkClient(values, context.env).account();
    if (values.json) return context.out(JSON.stringify(account, null, 2));
    context.out(`account  ${account.id}`);
    context.out(`balance  ${hbar(account.balance)} (${account.balance} tinybars)`);
    if (account.deposit) context.out(`top up    send HBAR to ${account.deposit.treasury_account_id} with memo ${account.deposit.memo}`);
  },
});

/**
 * `tensornode account open`: opens an account for a Hedera account, signed with its ED25519 key
 * (--account / TENSORNODE_ACCOUNT, --key-file / TENSORNODE_KEY: PKCS#8 DER hex), and prints the
 * first API key's secret, which is shown only this once.
 */
const open: Command = sdkCommand({
  path: ["account", "open"],
  summary: "open an account for your Hedera account (signed with its key) and print its first API key",
  usage: "--account <0.0.x> --key-file <file> [--key-name <name>] [--api-url <url>] [--json]",
  options: { ...clientOptions, account: { type: "string" }, "key-file": { type: "string" }, "key-name": { type: "string" } },
  async run(values, _positionals, context) {
    const accountId = (values.account as string | undefined) ?? context.env.TENSORNODE_ACCOUNT;
    if (!accountId || !/^\d+\.\d+\.\d+$/.test(accountId)) throw new CliError(`give your Hedera account (like 0.0.1234) with --account or TENSORNODE_ACCOUNT${accountId ? `, got '${accountId}'` : ""}`);
    const keyFile = values["key-file"] as string | undefined;
    let privateKeyDer = context.env.TENSORNODE_KEY;
    if (keyFile) {
      try {
        privateKeyDer = readFileSync(keyFile, "utf8").trim();
      } catch (error) {
        throw new CliError(`cannot read --key-file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    if (!privateKeyDer) throw new CliError("give your Hedera private key (DER hex) with --key-file or TENSORNODE_KEY");
    const client = sdkClient({ ...values, "api-key": "unused" }, context.env, { accountId, privateKeyDer });
    const opened = await client.openAccount({ ...(typeof values["key-name"] === "string" && { keyName: values["key-name"] }) });
    if (values.json) return context.out(JSON.stringify(opened, null, 2));
    context.out(`opened account ${opened.id}; balance ${hbar(opened.balance)}`);
    context.out(`API key ${opened.api_key.id} (${opened.api_key.name}): ${opened.api_key.secret}`);
    context.out("keep the key now: it is not shown again");
    if (opened.deposit) context.out(`top up: send HBAR to ${opened.deposit.treasury_account_id} with memo ${opened.deposit.memo}`);
  },
});

export const accountCommands: Command[] = [show, open];
