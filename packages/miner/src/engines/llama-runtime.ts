import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";

let shared: Promise<Llama> | undefined;

/**
 * The process-wide llama.cpp runtime: the prebuilt CPU backend from the npm platform package.
 * `build: "never"` forbids compiling and downloading, so a platform without a prebuilt binary
 * fails here (and the LLM is reported off) instead of reaching for the network.
 */
export function llamaRuntime(): Promise<Llama> {
  shared ??= getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
