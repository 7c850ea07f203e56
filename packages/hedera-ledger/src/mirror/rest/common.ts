import { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, nanosToMirror, type Nanos } from "../../codec.js";
import { mirrorKey } from "../../keys.js";
import type { Ledger } from "../../ledger.js";

/**
 * What every mirror REST resource shares: errors in the mirror's `_status` shape, query-string
 * filters (`op:value`), entity ids, timestamps, limit/order and `links.next`.
 *
 * Behaviour follows the mirror node's REST API (hiero-ledger/hiero-mirror-node `rest/`, OpenAPI
 * `rest/api/v1/openapi.yml`): default page size 25, at most 100 (a larger `limit` is capped, not
 * refused); `links.next` is given whenever a page came back full, so the last page of an exact
 * multiple is an empty one with `next: null`, as on the real mirror.
 */

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

/** An HTTP error answered as `{"_status":{"messages":[{"message": ...}]}}`. */
export class RestError extends Error {
  constructor(readonly status: number, readonly messages: string[]) {
    super(messages.join("; "));
    this.name = "RestError";
  }
}

export const notFound = (message = "Not found") => new RestError(404, [message]);
export const invalidParameter = (...names: string[]) => new RestError(400, names.map((name) => `Invalid parameter: ${name}`));
export const errorBody = (messages: string[]) => ({ _status: { messages: messages.map((message) => ({ message })) } });

/** One request as a resource handler sees it. */
export interface RestRequest {
  ledger: Ledger;
  /** Decoded path segments after `/api/v1/`. */
  segments: string[];
  /** The path as requested (for `links.next`), e.g. `/api/v1/topics/0.0.1001/messages`. */
  path: string;
  query: URLSearchParams;
}

export interface RestResponse {
  status?: number;
  body: unknown;
}

// --- query parameters -------------------------------------------------------------------------

export type Operator = "eq" | "ne" | "gt" | "gte" | "lt" | "lte";
export interface Filter<T> {
  op: Operator;
  value: T;
}

const OPERATOR = /^(eq|ne|gt|gte|lt|lte):(.*)$/;

/** Refuses any parameter the endpoint does not define (the mirror's "Unknown query parameter"). */
export function acceptOnly(query: URLSearchParams, accepted: readonly string[]): void {
  const unknown = [...new Set([...query.keys()].filter((key) => !accepted.includes(key)))];
  if (unknown.length) throw new RestError(400, unknown.map((key) => `Unknown query parameter: ${key}`));
}

/** Every `name=[op:]value` occurrence, parsed by `parse` (which returns undefined for a bad value). */
export function filters<T>(query: URLSearchParams, name: string, parse: (raw: string) => T | undefined, allowed: readonly Operator[] = ["eq", "ne", "gt", "gte", "lt", "lte"]): Filter<T>[] {
  return query.getAll(name).map((raw) => {
    const match = OPERATOR.exec(raw);
    const op = (match ? match[1] : "eq") as Operator;
    const value = parse(match ? match[2]! : raw);
    if (value === undefined || !allowed.includes(op)) throw invalidParameter(name);
    return { op, value };
  });
}

export function matches<T>(value: T, list: Filter<T>[], compare: (a: T, b: T) => number): boolean {
  return list.every(({ op, value: bound }) => {
    const c = compare(value, bound);
    switch (op) {
      case "eq":
        return c === 0;
      case "ne":
        return c !== 0;
      case "gt":
        return c > 0;
      case "gte":
        return c >= 0;
      case "lt":
        return c < 0;
      case "lte":
        return c <= 0;
    }
  });
}

export const compareBigInt = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** `limit`: a positive integer, capped at 100 (the mirror caps rather than refuses). */
export function limitOf(query: URLSearchParams, fallback = DEFAULT_LIMIT): number {
  const raw = query.getAll("limit").at(-1);
  if (raw === undefined) return fallback;
  if (!/^\d{1,19}$/.test(raw) || BigInt(raw) < 1n) throw invalidParameter("limit");
  return BigInt(raw) > BigInt(MAX_LIMIT) ? MAX_LIMIT : Number(raw);
}

export function orderOf(query: URLSearchParams, fallback: "asc" | "desc"): "asc" | "desc" {
  const raw = query.getAll("order").at(-1);
  if (raw === undefined) return fallback;
  const order = raw.toLowerCase();
  if (order !== "asc" && order !== "desc") throw invalidParameter("order");
  return order;
}

export function booleanOf(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.getAll(name).at(-1);
  if (raw === undefined) return undefined;
  const value = raw.toLowerCase();
  if (value !== "true" && value !== "false") throw invalidParameter(name);
  return value === "true";
}

// --- entity ids and timestamps ----------------------------------------------------------------

/** `N`, `R.N` or `S.R.N` (up to 10 digits each, as the mirror accepts) → canonical `S.R.N`. */
export function parseEntityId(raw: string): string | undefined {
  const match = /^(?:(?:(\d{1,10})\.)?(\d{1,10})\.)?(\d{1,10})$/.exec(raw);
  if (!match) return undefined;
  return `${BigInt(match[1] ?? "0")}.${BigInt(match[2] ?? "0")}.${BigInt(match[3]!)}`;
}

/** Entity ids compare by shard, realm, then number. */
export function compareEntityIds(a: string, b: string): number {
  const pa = a.split(".").map(BigInt);
  const pb = b.split(".").map(BigInt);
  for (let i = 0; i < 3; i++) {
    const c = compareBigInt(pa[i] ?? 0n, pb[i] ?? 0n);
    if (c) return c;
  }
  return 0;
}

/** `seconds[.nanos]` → nanoseconds (the fraction is a decimal fraction: `.5` is half a second). */
export function parseTimestamp(raw: string): Nanos | undefined {
  const match = /^(\d{1,19})(?:\.(\d{1,9}))?$/.exec(raw);
  if (!match) return undefined;
  return BigInt(match[1]!) * NANOS_PER_SECOND + BigInt((match[2] ?? "").padEnd(9, "0") || "0");
}

export const mirrorTimestamp = (nanos: Nanos | undefined | null): string | null => (nanos === undefined || nanos === null ? null : nanosToMirror(nanos));

/** The long-zero EVM address of an entity: shard (4 bytes), realm (8), number (8). */
export function longZeroAddress(id: string): string {
  const [shard, realm, num] = id.split(".").map(BigInt);
  return `0x${shard!.toString(16).padStart(8, "0")}${realm!.toString(16).padStart(16, "0")}${num!.toString(16).padStart(16, "0")}`;
}

/** The entity a long-zero EVM address names, or undefined for any other address. */
export function entityOfLongZero(address: string): string | undefined {
  const hex = address.replace(/^0x/i, "").toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(hex)) return undefined;
  const shard = BigInt(`0x${hex.slice(0, 8)}`);
  const realm = BigInt(`0x${hex.slice(8, 24)}`);
  const num = BigInt(`0x${hex.slice(24)}`);
  // Anything with bits above a realm/num a real entity can have is an EVM (alias) address.
  if (shard > 1023n || realm > 0xffff_ffffn || num > 0xff_ffff_ffffn) return undefined;
  return `${shard}.${realm}.${num}`;
}

export const keyJson = (key: proto.IKey | null | undefined) => mirrorKey(key, (k) => proto.Key.encode(k).finish());

export const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString("base64");

// --- paging -----------------------------------------------------------------------------------

/**
 * `links.next` as the mirror builds it: the same path and parameters, with the paging parameter's
 * bound in the paging direction replaced by the last item's value (`gt:` ascending, `lt:` descending).
 * Null when the page was not full.
 */
export function nextLink(request: RestRequest, pageFull: boolean, key: string, lastValue: string | undefined, order: "asc" | "desc"): string | null {
  if (!pageFull || lastValue === undefined) return null;
  const params = new URLSearchParams();
  const sameDirection = order === "asc" ? /^(gt|gte|eq):/ : /^(lt|lte|eq):/;
  for (const [name, value] of request.query) {
    if (name === key && (sameDirection.test(value) || !OPERATOR.test(value))) continue;
    params.append(name, value);
  }
  params.append(key, `${order === "asc" ? "gt" : "lt"}:${lastValue}`);
  // Keep `:` readable, as the mirror's links do (`timestamp=gt:1700000000.000000001`).
  return `${request.path}?${params.toString().replace(/%3A/gi, ":")}`;
}

// --- JSON with int64 ---------------------------------------------------------------------------

const BIG = "\u0000int64:";

/** JSON where bigint values are written as plain numbers (the mirror's int64 fields can exceed 2^53). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${BIG}${v}` : v)).replace(/"\\u0000int64:(-?\d+)"/g, "$1");
}
