import type { ChatMessage } from "@tensornode/sdk";
import type { Command } from "../registry.js";
import { clientOptions, positiveInt, required, sdkClient, sdkCommand } from "./sdk-client.js";

/** `tensornode chat`: one streamed completion over the WebSocket API; text on stdout, usage on stderr. */
const chat: Command = sdkCommand({
  path: ["chat"],
  summary: "stream a chat completion over the WebSocket API",
  usage: "--model <id> --message <text> [--system <text>] [--max-tokens <n>] [--json]",
  options: { ...clientOptions, model: { type: "string" }, message: { type: "string" }, system: { type: "string" }, "max-tokens": { type: "string" } },
  async run(values, _positionals, context) {
    const model = required(values, "model", "a model id (see GET /v1/models)");
    const messages: ChatMessage[] = [
      ...(typeof values.system === "string" ? [{ role: "system" as const, content: values.system }] : []),
      { role: "user", content: required(values, "message", "the prompt") },
    ];
    const maxTokens = positiveInt(values, "max-tokens");
    const client = sdkClient(values, context.env);
    try {
      const stream = await client.stream.chat({ model, messages, ...(maxTokens !== undefined && { max_tokens: maxTokens }) });
      let text = "";
      for await (const chunk of stream) {
        if (values.json) context.out(JSON.stringify(chunk));
        else text += chunk.choices[0]?.delta.content ?? "";
      }
      if (!values.json) {
        context.out(text);
        const u = stream.usage;
        if (u) context.err(`${u.prompt_tokens} prompt + ${u.completion_tokens} completion tokens, served by ${stream.minerId}`);
      }
    } finally {
      await client.close();
    }
  },
});

export const chatCommands: Command[] = [chat];
