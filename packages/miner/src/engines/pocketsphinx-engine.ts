import { writeFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EngineInputError, type LoadResult, type SpeechToTextEngine, type Transcription } from "./engine.js";
import { findExecutable, lastLine, ProcessError, runProcess, withTempDir } from "./process.js";
import { parseWav } from "./wav.js";

export const STT_APT_HINT = "install with: apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us sox";

export interface PocketsphinxEngineOptions {
  modelId: string;
  /** `pocketsphinx_continuous` (looked up on PATH) or a path to it. */
  pocketsphinxPath: string;
  /** `sox`, used to decode and resample whatever the client sent. */
  soxPath: string;
  /** Kills a decode or a recognition that runs longer. */
  timeoutMs: number;
}

/** Container extensions worth passing on to sox (it also sniffs headers, but some formats have none). */
const EXTENSIONS = new Set(["wav", "wave", "flac", "ogg", "oga", "aif", "aiff", "aifc", "au", "snd", "caf", "w64", "voc", "sph", "amr", "gsm"]);

/**
 * Speech-to-text with CMU pocketsphinx (Debian's `pocketsphinx` + `pocketsphinx-en-us`, US English
 * acoustic model and trigram LM). Each request: sox converts the upload to 16 kHz mono 16-bit WAV
 * (stopping just past the length limit, so a long upload costs no more than a short one), the
 * duration is read from that WAV's header, then `pocketsphinx_continuous` prints one line per
 * utterance. The CLI reloads its 26 MB LM on every call (~0.7 s).
 */
export class PocketsphinxEngine implements SpeechToTextEngine {
  readonly modality = "stt" as const;
  readonly modelIds: readonly string[];
  readonly languages = ["en"] as const;
  private sox: string | undefined;
  private pocketsphinx: string | undefined;

  constructor(private readonly options: PocketsphinxEngineOptions) {
    this.modelIds = [options.modelId];
  }

  details(): Record<string, unknown> {
    return { languages: [...this.languages], response_formats: ["json", "text", "verbose_json"] };
  }

  async load(): Promise<LoadResult> {
    const [sox, pocketsphinx] = await Promise.all([findExecutable(this.options.soxPath), findExecutable(this.options.pocketsphinxPath)]);
    if (!pocketsphinx) return { ok: false, reason: `${this.options.pocketsphinxPath} not found; ${STT_APT_HINT}` };
    if (!sox) return { ok: false, reason: `${this.options.soxPath} not found; ${STT_APT_HINT}` };
    try {
      // A real run on a short silent clip proves the acoustic model and LM are installed.
      await withTempDir(async (dir) => {
        const clip = join(dir, "silence.wav");
        const made = await runProcess(sox, ["-n", "-r", "16000", "-c", "1", "-b", "16", clip, "trim", "0", "0.3"], { timeoutMs: this.options.timeoutMs });
        if (made.code !== 0) throw new Error(`${sox} could not write a test clip: ${lastLine(made.stderr)}`);
        const run = await runProcess(pocketsphinx, ["-infile", clip], { timeoutMs: this.options.timeoutMs });
        if (run.code !== 0) throw new Error(`${pocketsphinx} failed on a test clip (${lastLine(run.stderr) || `exit ${run.code}`}); is pocketsphinx-en-us installed? ${STT_APT_HINT}`);
      });
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    this.sox = sox;
    this.pocketsphinx = pocketsphinx;
    return { ok: true };
  }

  async close(): Promise<void> {
    this.sox = undefined;
    this.pocketsphinx = undefined;
  }

  async transcribe(audio: Uint8Array, options: { maxSeconds: number; fileName?: string }): Promise<Transcription> {
    const { sox, pocketsphinx } = this;
    if (!sox || !pocketsphinx) throw new Error("the pocketsphinx engine is not loaded");
    if (audio.length === 0) throw new EngineInputError("invalid_audio", "The audio file is empty.", "file");
    const extension = /\.([a-z0-9]{1,5})$/i.exec(options.fileName ?? "")?.[1]?.toLowerCase();
    return withTempDir(async (dir) => {
      const input = join(dir, EXTENSIONS.has(extension ?? "") ? `input.${extension}` : "input");
      const converted = join(dir, "16k.wav");
      await writeFile(input, audio);
      const decode = await runProcess(sox, ["-V1", input, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", converted, "trim", "0", String(options.maxSeconds + 0.5)], {
        timeoutMs: this.options.timeoutMs,
      });
      if (decode.code !== 0) {
        const why = lastLine(decode.stderr).replaceAll(dir, "").replace(/^sox FAIL \w+: /, "");
        throw new EngineInputError("invalid_audio", `The audio could not be decoded${why ? ` (${why})` : ""}; send WAV, FLAC, Ogg Vorbis, AIFF or AU.`, "file");
      }
      const wav = parseWav(await readFile(converted));
      if (!wav || wav.durationSeconds === 0) throw new EngineInputError("invalid_audio", "The audio holds no samples.", "file");
      if (wav.durationSeconds > options.maxSeconds) {
        throw new EngineInputError("audio_too_long", `The audio is longer than ${options.maxSeconds} seconds, the most this miner transcribes per request.`, "file");
      }
      const run = await runProcess(pocketsphinx, ["-infile", converted, "-logfn", "/dev/null"], { timeoutMs: this.options.timeoutMs });
      if (run.code !== 0) throw new ProcessError(`pocketsphinx_continuous exited with ${run.code}: ${lastLine(run.stderr)}`);
      const text = run.stdout.toString("utf8").split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
      return { text, durationSeconds: wav.durationSeconds, language: "en" };
    });
  }
}
