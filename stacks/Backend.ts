import type { StackContext, Function } from "sst/constructs";
import { manifest, type QueueName } from "./manifest";
import { createTable } from "./Data";
import { createSecrets } from "./Secrets";
import { createQueues, type QueueResources } from "./Queues";
import { createHttpApi, createStreamingUrl, createWebSocketApi, managementEndpoint } from "./Api";
import { createCrons } from "./Jobs";
import { manageConnections, sendTo } from "./permissions";
import { baseEnvironment, pascal, type Wiring } from "./shared";

/**
 * Everything with a runtime dependency on everything else, in ONE stack, built by the helpers in
 * Data.ts, Secrets.ts, Queues.ts, Api.ts and Jobs.ts.
 *
 * Why one stack and not `use()` between several: the wiring crosses back and forth (the HTTP
 * function sends to the inference queue; the inference consumer pushes through the WebSocket API;
 * the epochClose cron sends to the settlement queue). Split into stacks, every such reference
 * becomes a CloudFormation export, and an export that another stack imports can be neither
 * changed nor deleted ("Export ... cannot be updated as it is in use"): renaming a queue would
 * need a two-step deploy. One stack has no exports, no ordering problems and one rollback unit.
 * The dashboard (Web.ts) references nothing and stays a separate stack.
 */

/**
 * Who sends to which queue. Consumers need no entry: their event source mapping grants them
 * receive/delete on their own queue. Add a queue name here and the producer gets the queue's URL
 * env var (`urlEnv`) and `sqs:SendMessage` on that queue only.
 */
const PRODUCERS = {
  http: ["inference"],
  crons: { epochClose: ["settlement"], healthProbe: [], depositScan: [] },
} as const satisfies {
  http: readonly QueueName[];
  crons: Record<keyof typeof manifest.crons, readonly QueueName[]>;
};

export function Backend({ stack }: StackContext) {
  const table = createTable(stack);
  const wiring: Wiring = { stack, table, env: baseEnvironment(table) };
  const secrets = createSecrets(stack);

  const { ws, handlers: wsHandlers } = createWebSocketApi(wiring);
  const queues = createQueues(wiring);
  const { api, handlers: httpHandlers } = createHttpApi(wiring);
  // The same app behind a response-streaming Function URL: it gets everything the HTTP handlers get below.
  const httpStream = createStreamingUrl(wiring);
  const crons = createCrons(wiring);

  // Producers: URL env var + SendMessage on exactly their queues.
  for (const fn of [...httpHandlers, httpStream.fn]) producesTo(fn, PRODUCERS.http.map((q) => queues[q]));
  for (const [name, targets] of Object.entries(PRODUCERS.crons) as [keyof typeof crons, readonly QueueName[]][]) {
    producesTo(crons[name].fn, targets.map((q) => queues[q]));
  }

  // The inference consumer pushes job results to subscribed WebSocket connections.
  const pusher = queues.inference.consumer;
  pusher.addEnvironment(manifest.env.wsManagementEndpoint, managementEndpoint(ws));
  pusher.attachPermissions([manageConnections(ws)]);

  // Hedera / Fluence credentials only where they are used (the operator key pays rewards).
  const hedera = [secrets.HEDERA_OPERATOR_ID, secrets.HEDERA_OPERATOR_KEY, secrets.FLUENCE_API_KEY, secrets.HEDERA_NETWORK];
  queues.settlement.consumer.bind(hedera);
  crons.healthProbe.fn.bind(hedera);
  // Deposits are read from the mirror node: the network name and the treasury's id, no key.
  crons.depositScan.fn.bind([secrets.HEDERA_NETWORK, secrets.TREASURY_ACCOUNT_ID]);
  // Dispatchers sign the work they send miners; the HTTP API also verifies signed requests with
  // keys from the mirror (the network name) and tells developers where to deposit (the treasury).
  const dispatch = [secrets.HEDERA_NETWORK, secrets.DISPATCHER_ACCOUNT_ID, secrets.DISPATCHER_KEY, secrets.TREASURY_ACCOUNT_ID];
  for (const fn of [...httpHandlers, httpStream.fn]) fn.bind(dispatch);
  queues.inference.consumer.bind(dispatch);
  // The inference consumer also runs the miner-hosting jobs (miner.provision / miner.teardown) on Fluence VMs.
  queues.inference.consumer.bind([secrets.FLUENCE_API_KEY, secrets.FLUENCE_SSH_KEYS]);
  ws.getFunction("chat")!.bind(dispatch);

  stack.addOutputs({
    ApiUrl: api.url,
    StreamUrl: httpStream.url,
    WebSocketUrl: ws.url,
    TableName: table.tableName,
    ...Object.fromEntries(
      Object.values(queues).flatMap((q) => [
        [`${pascal(q.name)}QueueUrl`, q.queue.queueUrl],
        [`${pascal(q.name)}DlqUrl`, q.deadLetterQueue.queueUrl],
      ]),
    ),
  });

  return { table, api, ws, queues, crons, secrets, functions: { http: httpHandlers, httpStream: httpStream.fn, ws: wsHandlers } };
}

function producesTo(fn: Function, targets: QueueResources[]) {
  if (targets.length === 0) return;
  for (const target of targets) fn.addEnvironment(target.spec.urlEnv, target.queue.queueUrl);
  fn.attachPermissions([sendTo(targets.map((target) => target.queue.queueArn))]);
}
