import { EngineInputError, type LoadResult, type TranslationEngine } from "./engine.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findExecutable, lastLine, runProcess, withTempDir } from "./process.js";

export const TRANSLATION_APT_HINT = "install with: apt-get install -y --no-install-recommends apertium apertium-eng-spa";

/** Apertium names languages with ISO 639-3 or 639-1 codes; the API speaks 639-1 where one exists. */
const ISO1: Record<string, string> = {
  eng: "en", spa: "es", cat: "ca", fra: "fr", por: "pt", glg: "gl", epo: "eo", eus: "eu", ita: "it", ron: "ro",
  oci: "oc", deu: "de", nld: "nl", afr: "af", arg: "an", ast: "ast", bre: "br", cym: "cy", dan: "da", nob: "nb",
  nno: "nn", swe: "sv", isl: "is", mlt: "mt", ara: "ar", eng_US: "en_US",
};
export const toIso1 = (code: string): string => ISO1[code] ?? code;

export interface ApertiumEngineOptions {
  modelId: string;
  /** `apertium` (looked up on PATH) or a path to it. */
  apertiumPath: string;
  /** Pairs to offer (`en-es`); empty: every installed pair (`apertium -l`) without a variant suffix. */
  pairs: string[];
  timeoutMs: number;
}

/**
 * Rule-based machine translation with Apertium (Debian `apertium` + language-pair packages such as
 * `apertium-eng-spa`): `apertium -u <mode> <file>` (`-u` drops the marks on unknown words). One process per input string (~0.1 s); Apertium's `-z` null-flush batching
 * garbles output through its shell pipeline, so it is not used.
 */
export class ApertiumEngine implements TranslationEngine {
  readonly modality = "translation" as const;
  readonly modelIds: readonly string[];
  /** `en-es` → Apertium mode `eng-spa`. */
  private modes = new Map<string, string>();
  private apertium: string | undefined;

  constructor(private readonly options: ApertiumEngineOptions) {
    this.modelIds = [options.modelId];
  }

  get pairs(): readonly string[] {
    return [...this.modes.keys()];
  }

  details(): Record<string, unknown> {
    return { pairs: [...this.pairs] };
  }

  async load(): Promise<LoadResult> {
    const apertium = await findExecutable(this.options.apertiumPath);
    if (!apertium) return { ok: false, reason: `${this.options.apertiumPath} not found; ${TRANSLATION_APT_HINT}` };
    const listed = await runProcess(apertium, ["-l"], { timeoutMs: this.options.timeoutMs }).catch((error: Error) => ({ code: -1, stdout: Buffer.alloc(0), stderr: error.message }));
    if (listed.code !== 0) return { ok: false, reason: `${apertium} -l failed (${lastLine(listed.stderr) || `exit ${listed.code}`})` };
    const modes = new Map<string, string>();
    for (const mode of listed.stdout.toString("utf8").split("\n").map((l) => l.trim())) {
      const match = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(mode);
      if (match) modes.set(`${toIso1(match[1]!)}-${toIso1(match[2]!)}`, mode);
    }
    const wanted = this.options.pairs.length > 0 ? this.options.pairs : [...modes.keys()];
    this.modes = new Map(wanted.filter((pair) => modes.has(pair)).map((pair) => [pair, modes.get(pair)!]));
    if (this.modes.size === 0) {
      const installed = [...modes.keys()].join(", ") || "none";
      return { ok: false, reason: `no usable Apertium language pair (wanted ${wanted.join(", ") || "any"}; installed: ${installed}); ${TRANSLATION_APT_HINT}` };
    }
    this.apertium = apertium;
    return { ok: true };
  }

  async close(): Promise<void> {
    this.apertium = undefined;
    this.modes = new Map();
  }

  async translate(text: string, source: string, target: string): Promise<string> {
    const apertium = this.apertium;
    if (!apertium) throw new Error("the apertium engine is not loaded");
    const pair = `${toIso1(source)}-${toIso1(target)}`;
    const mode = this.modes.get(pair);
    if (!mode) throw new EngineInputError("unsupported_language_pair", `Unsupported language pair ${source} → ${target}; this model translates: ${this.pairs.join(", ")}.`, "target_language");
    if (text.trim() === "") return text;
    // The text goes in a file: apertium reads `/dev/stdin` by path, which cannot be reopened when
    // stdin is the socket Node's spawn gives a child.
    const run = await withTempDir(async (dir) => {
      const input = join(dir, "input.txt");
      await writeFile(input, text, "utf8");
      return runProcess(apertium, ["-u", mode, input], { timeoutMs: this.options.timeoutMs });
    });
    if (run.code !== 0) throw new Error(`apertium exited with ${run.code}: ${lastLine(run.stderr)}`);
    const output = run.stdout.toString("utf8");
    return !text.endsWith("\n") && output.endsWith("\n") ? output.slice(0, -1) : output;
  }
}
