import { probeMiners } from "@tensornode/core";
import type { ScheduledEvent } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices } from "../lib/services.js";

/** Per-probe deadline: the whole run must finish well inside the one-minute schedule. */
const PROBE_TIMEOUT_MS = 5_000;

/** EventBridge schedule: probes every registered miner and records its health. */
export const handler = lambda(async (_event: ScheduledEvent) => probeMiners({ ...getServices(), timeoutMs: PROBE_TIMEOUT_MS }));
