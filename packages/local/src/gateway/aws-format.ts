import { randomBytes } from "node:crypto";

/**
 * API Gateway request, message and connection ids look like "L0SM9cOFvHcCIhw=": 11 random
 * bytes in base64, so 16 characters ending in "=". Keeping the "=" (and the "/" and "+" that
 * base64 can produce) makes local callers URL-encode ids exactly as they must in AWS.
 */
export function awsId(): string {
  return randomBytes(11).toString("base64");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The access-log time format API Gateway puts in `time`/`requestTime`: "25/Nov/2026:04:13:20 +0000". */
export function requestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  return `${day}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** "host:port" as it appears in a Host header and in `requestContext.domainName`. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
