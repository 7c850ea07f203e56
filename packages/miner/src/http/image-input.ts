import type { MinerContext } from "./context.js";
import { HttpError } from "./errors.js";

/**
 * The bytes of an image sent as a `data:image/...;base64,` URL or as bare base64. Remote URLs are
 * refused (a miner fetches nothing), as is anything larger than `vision.maxImageBytes` once decoded.
 */
export function decodeImageInput(ctx: MinerContext, value: string, param: string): Buffer {
  const text = value.trim();
  let base64 = text;
  if (/^https?:\/\//i.test(text)) throw new HttpError(400, "Image URLs are not fetched by this miner; send the image inline as a base64 data URL.", "invalid_image", param);
  if (text.startsWith("data:")) {
    const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(text);
    if (!match || !/;base64$/i.test(match[2] ?? "")) throw new HttpError(400, "The image data URL must be base64-encoded (data:image/png;base64,...).", "invalid_image", param);
    if (match[1] && !/^image\//i.test(match[1])) throw new HttpError(400, `The data URL's media type is '${match[1]}'; an image is expected.`, "invalid_image", param);
    base64 = match[3]!;
  }
  base64 = base64.replace(/\s+/g, "");
  if (base64 === "" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64)) throw new HttpError(400, "The image is not valid base64.", "invalid_image", param);
  const max = ctx.config.vision.maxImageBytes;
  if (Math.floor((base64.length * 3) / 4) > max + 2) throw new HttpError(400, `The image is larger than ${max} bytes, the most this miner accepts.`, "image_too_large", param);
  return Buffer.from(base64, "base64");
}
