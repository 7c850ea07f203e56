import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { basename } from "node:path";
import { DomainError } from "@tensornode/core";
import { LlamaChat, LlamaCompletion, TokenMeter, type ChatHistoryItem, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import type { ChatMessage, GenerationParams, GenerationResult, LoadResult, TextGenerationEngine } from "./engine.js";
import { llamaRuntime } from "./llama-runtime.js";
import { SlotPool } from "./slot-pool.js";

export interface LlamaCppEngineOptions {
  modelPath: string;
  /** Defaults to the file name without `.gguf`. */
  modelId?: string;
  contextSize: number;
  threads: number;
  /** Parallel requests: one llama.cpp sequence each, in one context. */
  concurrency: number;
  /**
   * How chat messages become a prompt: `template` renders them with the chat template
   * node-llama-cpp resolves for the model; `plain` joins their contents with newlines (no roles);
   * `auto` (default) uses the template only when the GGUF carries one (`tokenizer.chat_template`).
   */
  chatFormat?: ChatFormat;
}

export type ChatFormat = "auto" | "template" | "plain";

interface Slot {
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
  chat: LlamaChat;
}

type StopReason = "eogToken" | "stopGenerationTrigger" | "functionCalls" | "maxTokens" | "abort" | "customStopTrigger";

/**
 * A GGUF model on node-llama-cpp (CPU). Every request gets its own sequence with a cleared
 * history, so requests are independent and greedy output is reproducible; usage comes from the
 * sequence's token meter (tokens actually evaluated and generated).
 *
 * - `complete`: the prompt is tokenized as llama.cpp does (BOS prepended) and continued.
 * - `chat` with a chat template (GGUFs that carry one, e.g. instruction-tuned models): the
 *   messages are rendered by `LlamaChat` with the wrapper node-llama-cpp resolves, and the
 *   continuation is the assistant message.
 * - `chat` without one (stories260K, a completion model that is not instruction-tuned): the message
 *   contents are joined with newlines and continued like a completion, so the assistant message is
 *   the story continuing the conversation's last words, not an answer to it. (Forcing the
 *   auto-picked `Llama2Chat` template on stories260K yields broken text.)
 *
 * Prompts that do not fit the context window are refused (400 `context_length_exceeded`);
 * generation stops at the end of the window with finish reason `length` (no context shift).
 */
export class LlamaCppEngine implements TextGenerationEngine {
  readonly modality = "llm" as const;
  readonly modelIds: readonly string[];
  readonly contextSize: number;
  private model: LlamaModel | undefined;
  private context: LlamaContext | undefined;
  private slots: SlotPool<Slot> | undefined;
  private plainChat = false;

  constructor(private readonly options: LlamaCppEngineOptions) {
    this.modelIds = [options.modelId ?? basename(options.modelPath).replace(/\.gguf$/i, "")];
    this.contextSize = options.contextSize;
  }

  async load(): Promise<LoadResult> {
    const { modelPath } = this.options;
    try {
      await access(modelPath, constants.R_OK);
    } catch {
      return { ok: false, reason: `GGUF model file not found or not readable: ${modelPath} (set llm.modelPath or --llm-model)` };
    }
    let llama;
    try {
      llama = await llamaRuntime();
    } catch (error) {
      return { ok: false, reason: `node-llama-cpp has no usable prebuilt CPU binary here: ${(error as Error).message}` };
    }
    try {
      this.model = await llama.loadModel({ modelPath });
      this.context = await this.model.createContext({ contextSize: this.options.contextSize, threads: this.options.threads, sequences: this.options.concurrency });
      const slots: Slot[] = [];
      for (let i = 0; i < this.options.concurrency; i++) {
        const sequence = this.context.getSequence();
        slots.push({ sequence, completion: new LlamaCompletion({ contextSequence: sequence }), chat: new LlamaChat({ contextSequence: sequence }) });
      }
      this.slots = new SlotPool(slots);
      const format = this.options.chatFormat ?? "auto";
      const hasTemplate = typeof (this.model.fileInfo.metadata as { tokenizer?: { chat_template?: unknown } }).tokenizer?.chat_template === "string";
      this.plainChat = format === "plain" || (format === "auto" && !hasTemplate);
      return { ok: true };
    } catch (error) {
      await this.close();
      return { ok: false, reason: `could not load ${modelPath}: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.slots = undefined;
    await this.context?.dispose();
    await this.model?.dispose();
    this.context = undefined;
    this.model = undefined;
  }

  complete(prompt: string, params: GenerationParams): Promise<GenerationResult> {
    return this.continueText(prompt, params, "prompt");
  }

  chat(messages: ChatMessage[], params: GenerationParams): Promise<GenerationResult> {
    if (this.plainChat) return this.continueText(messages.map((m) => m.content).join("\n"), params, "messages");
    return this.chatWithTemplate(messages, params);
  }

  private continueText(prompt: string, params: GenerationParams, param: string): Promise<GenerationResult> {
    return this.withSlot(async (slot, model) => {
      // As LlamaCompletion tokenizes a string: BOS is prepended by the library, hence the trimmed leading space.
      const bos = model.tokens.shouldPrependBosToken && model.tokens.bos != null;
      const tokens: Token[] = model.tokenize(prompt, false, bos ? "trimLeadingSpace" : undefined);
      this.assertFits(tokens.length + (bos ? 1 : 0), param);
      return this.metered(slot, async () => {
        const result = await slot.completion.generateCompletionWithMeta(tokens, {
          ...samplingOptions(params),
          maxTokens: params.maxTokens,
          disableContextShift: true,
          contextShiftSize: 1,
        });
        return { text: result.response, stopReason: result.metadata.stopReason };
      });
    });
  }

  private chatWithTemplate(messages: ChatMessage[], params: GenerationParams): Promise<GenerationResult> {
    return this.withSlot(async (slot, model) => {
      const history: ChatHistoryItem[] = messages.map((m) => (m.role === "assistant" ? { type: "model", response: [m.content] } : { type: m.role, text: m.content }));
      history.push({ type: "model", response: [] });
      const rendered = slot.chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
      this.assertFits(rendered, "messages");
      return this.metered(slot, async () => {
        const result = await slot.chat.generateResponse(history, {
          ...samplingOptions(params),
          // Stop at the end of the window rather than let LlamaChat drop earlier messages.
          maxTokens: Math.min(params.maxTokens, this.contextSize - rendered),
        });
        return { text: result.response, stopReason: result.metadata.stopReason };
      });
    });
  }

  private assertFits(promptTokens: number, param: string): void {
    if (promptTokens >= this.contextSize) {
      throw new DomainError("invalid_request", `The prompt is ${promptTokens} tokens; this model's context window is ${this.contextSize} tokens, and at least one must be left to generate.`, param);
    }
  }

  private async withSlot<T>(work: (slot: Slot, model: LlamaModel) => Promise<T>): Promise<T> {
    const { slots, model } = this;
    if (!slots || !model) throw new DomainError("unavailable", "The LLM engine is not loaded.");
    const slot = await slots.acquire();
    try {
      await slot.sequence.clearHistory();
      return await work(slot, model);
    } finally {
      slots.release(slot);
    }
  }

  private async metered(slot: Slot, run: () => Promise<{ text: string; stopReason: StopReason }>): Promise<GenerationResult> {
    const before = slot.sequence.tokenMeter.getState();
    const { text, stopReason } = await run();
    const used = TokenMeter.diff(slot.sequence.tokenMeter, before);
    return { text, promptTokens: used.usedInputTokens, completionTokens: used.usedOutputTokens, finishReason: stopReason === "maxTokens" ? "length" : "stop" };
  }
}

function samplingOptions(params: GenerationParams) {
  const penalized = params.frequencyPenalty !== 0 || params.presencePenalty !== 0;
  return {
    temperature: params.temperature,
    topP: params.topP,
    seed: params.seed,
    // OpenAI semantics: no repetition penalty unless the request asks for one.
    repeatPenalty: penalized ? { penalty: 1, frequencyPenalty: params.frequencyPenalty, presencePenalty: params.presencePenalty } : (false as const),
    customStopTriggers: params.stop.length > 0 ? params.stop : undefined,
    signal: params.signal,
    stopOnAbortSignal: true,
    onTextChunk: params.onText,
  };
}
