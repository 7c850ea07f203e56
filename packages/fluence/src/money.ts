/**
 * Decimal-string arithmetic for Fluence money fields (USDC per epoch, as decimal strings such as
 * "3.50766"). Amounts stay strings; these helpers compare and add them exactly via BigInt.
 */
const DECIMAL = /^\d+(\.\d+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

function parts(value: string): [string, string] {
  if (!DECIMAL.test(value)) throw new RangeError(`not a non-negative decimal string: ${JSON.stringify(value)}`);
  const [int = "0", frac = ""] = value.split(".");
  return [int, frac];
}

function scaled(a: string, b: string): [bigint, bigint, number] {
  const [ai, af] = parts(a);
  const [bi, bf] = parts(b);
  const scale = Math.max(af.length, bf.length);
  return [BigInt(ai + af.padEnd(scale, "0")), BigInt(bi + bf.padEnd(scale, "0")), scale];
}

function format(n: bigint, scale: number): string {
  if (scale === 0) return n.toString();
  const s = n.toString().padStart(scale + 1, "0");
  const frac = s.slice(-scale).replace(/0+$/, "");
  const int = s.slice(0, -scale);
  return frac ? `${int}.${frac}` : int;
}

/** -1, 0 or 1, exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = scaled(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: string, b: string): string {
  const [x, y, scale] = scaled(a, b);
  return format(x + y, scale);
}

export function multiplyDecimal(a: string, factor: number): string {
  if (!Number.isInteger(factor) || factor < 0) throw new RangeError("factor must be a non-negative integer");
  const [x, , scale] = scaled(a, "0");
  return format(x * BigInt(factor), scale);
}
