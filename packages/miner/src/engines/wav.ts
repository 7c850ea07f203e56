/** Just enough of RIFF WAV for the speech engines: read a 16-bit PCM file's format and samples, write one. */

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The `data` chunk (the samples). */
  data: Buffer;
  durationSeconds: number;
}

/** Parses a RIFF/WAVE buffer; undefined when it is not one (or has no `fmt `/`data` chunk). */
export function parseWav(buffer: Buffer): WavInfo | undefined {
  if (buffer.length < 12 || buffer.toString("ascii", 0, 4) !== "RIFF" || buffer.toString("ascii", 8, 12) !== "WAVE") return undefined;
  let offset = 12;
  let format: { sampleRate: number; channels: number; bitsPerSample: number; byteRate: number } | undefined;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString("ascii", offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt " && body + 16 <= buffer.length) {
      format = { channels: buffer.readUInt16LE(body + 2), sampleRate: buffer.readUInt32LE(body + 4), byteRate: buffer.readUInt32LE(body + 8), bitsPerSample: buffer.readUInt16LE(body + 14) };
    } else if (id === "data" && format) {
      // Writers that stream (sox to a pipe, flite) may leave the size at 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || size === 0xffffffff ? buffer.length : Math.min(buffer.length, body + size);
      const data = buffer.subarray(body, end);
      return { sampleRate: format.sampleRate, channels: format.channels, bitsPerSample: format.bitsPerSample, data, durationSeconds: format.byteRate > 0 ? data.length / format.byteRate : 0 };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** A 16-bit PCM WAV around `samples` (little-endian). */
export function buildWav(samples: Buffer, sampleRate: number, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/**
 * Mono 16-bit samples resampled by linear interpolation (speech only: no anti-aliasing filter is
 * needed going up, e.g. flite's 16 kHz to OpenAI's 24 kHz `pcm`).
 */
export function resamplePcm16(samples: Buffer, from: number, to: number): Buffer {
  if (from === to) return samples;
  const count = Math.floor(samples.length / 2);
  const at = (index: number) => samples.readInt16LE(index * 2);
  const length = Math.floor((count * to) / from);
  const output = Buffer.alloc(length * 2);
  for (let i = 0; i < length; i++) {
    const position = (i * from) / to;
    const left = Math.floor(position);
    const right = Math.min(left + 1, count - 1);
    const fraction = position - left;
    output.writeInt16LE(Math.round(at(left) * (1 - fraction) + at(right) * fraction), i * 2);
  }
  return output;
}
