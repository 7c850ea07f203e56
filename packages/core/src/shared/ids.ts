import { randomUUID } from "node:crypto";
import type { IdGenerator } from "../ports/clock.js";

/** Random v4 UUIDs without dashes: 122 random bits, safe in URLs and DynamoDB keys. */
export const randomIds: IdGenerator = { next: () => randomUUID().replaceAll("-", "") };
