/**
 * Offline synth test of the production stacks: builds the real SST app in-process (no AWS
 * credentials, no network; NODE_ENV=test and SST_TELEMETRY_DISABLED=1 come from vitest.config.ts),
 * including the esbuild bundling of every handler, then inspects the CloudFormation templates.
 *
 * Expectations are derived from the manifest and TABLE_DEFINITION, like the stacks themselves.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { initProject } from "sst/project.js"; // ".js" suffix needed for tsc
import { App, getStack, use, type Function } from "sst/constructs";
import config from "../../sst.config";
import { Backend } from "../Backend";
import { Web } from "../Web";
import { manifest, type QueueName, type CronName } from "../manifest";
import { TABLE_ACTIONS } from "../permissions";
import { TABLE_DEFINITION } from "../../packages/aws/src/dynamodb/table-definition";

type Json = Record<string, any>; // CloudFormation JSON
interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
}

let backend: Template;
let web: Template;
let built: ReturnType<typeof Backend>;
let logicalId: (element: CfnElement) => string;

beforeAll(async () => {
  await initProject({ stage: "test" });
  const app = new App({ mode: "deploy", stage: "test", name: "tensornode", account: "123456789012", region: "us-east-1" });
  await config.stacks(app); // exactly what `sst deploy` runs: default function props + both stacks
  await app.finish(); // bundles every handler with esbuild
  const stack = getStack(Backend);
  backend = Template.fromStack(stack);
  web = Template.fromStack(getStack(Web));
  built = use(Backend);
  logicalId = (element) => stack.getLogicalId(element);
}, 180_000);

// ---------- helpers over the synthesized template ----------

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const fnId = (fn: Function) => logicalId(fn.node.defaultChild as CfnElement);
const roleId = (fn: Function) => logicalId(fn.role!.node.defaultChild as CfnElement);
const getAttArn = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function statementsOf(fn: Function): Statement[] {
  const role = roleId(fn);
  return Object.values(backend.findResources("AWS::IAM::Policy"))
    .filter((policy: Json) => asArray(policy.Properties.Roles).some((r: Json) => r.Ref === role))
    .flatMap((policy: Json) => asArray<Json>(policy.Properties.PolicyDocument.Statement))
    .map((s) => ({ Effect: s.Effect, Action: asArray(s.Action), Resource: asArray(s.Resource) }));
}
const allowing = (fn: Function, action: string) =>
  statementsOf(fn).filter((s) => s.Effect === "Allow" && s.Action.includes(action));

function envOf(fn: Function): Record<string, unknown> {
  return (backend.toJSON().Resources[fnId(fn)] as Json).Properties.Environment?.Variables ?? {};
}

const queueNames = Object.keys(manifest.queues) as QueueName[];
const cronNames = Object.keys(manifest.crons) as CronName[];
const queueId = (name: QueueName) => logicalId(built.queues[name].sqsQueue.node.defaultChild as CfnElement);
const dlqId = (name: QueueName) => logicalId(built.queues[name].deadLetterQueue.node.defaultChild as CfnElement);

/** Every Lambda the app itself defines (SST adds internal ones for custom resources). */
function appFunctions(): [string, Function][] {
  return [
    ...built.functions.http.map((fn) => ["http", fn] as [string, Function]),
    ["http-stream", built.functions.httpStream],
    ...built.functions.ws.map((fn, i) => [`ws:${built.ws.routes[i]}`, fn] as [string, Function]),
    ...queueNames.map((q) => [`consumer:${q}`, built.queues[q].consumer] as [string, Function]),
    ...cronNames.map((c) => [`cron:${c}`, built.crons[c].fn] as [string, Function]),
  ];
}

// ---------- tests ----------

describe("synthesis", () => {
  it("defines one Lambda per manifest handler", () => {
    const expected =
      manifest.http.routes.length + 1 + Object.keys(manifest.websocket.routes).length + queueNames.length + cronNames.length; // + the streaming function
    expect(appFunctions()).toHaveLength(expected);
  });
});

describe("table", () => {
  const gsi = TABLE_DEFINITION.globalIndexes[0];

  it("has the single-table key schema, gsi1, TTL, PITR and on-demand billing", () => {
    backend.resourceCountIs("AWS::DynamoDB::Table", 1);
    backend.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE_DEFINITION.sortKey, KeyType: "RANGE" },
      ],
      AttributeDefinitions: Match.arrayWith(
        [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey, gsi.partitionKey, gsi.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: "S",
        })),
      ),
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: "HASH" },
            { AttributeName: gsi.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        }),
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe("queues", () => {
  it("has a queue and a dead-letter queue per manifest entry", () => {
    backend.resourceCountIs("AWS::SQS::Queue", queueNames.length * 2);
  });

  it.each(queueNames)("%s: FIFO-ness, visibility timeout and redrive follow the manifest", (name) => {
    const spec = manifest.queues[name];
    const queue = backend.toJSON().Resources[queueId(name)] as Json;
    const dlq = backend.toJSON().Resources[dlqId(name)] as Json;

    expect(queue.Properties.VisibilityTimeout).toBe(spec.visibilityTimeoutSeconds);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAttArn(dlqId(name)),
      maxReceiveCount: spec.maxReceiveCount,
    });
    expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    for (const q of [queue, dlq]) {
      if (spec.fifo) {
        expect(q.Properties.FifoQueue).toBe(true);
        expect(q.Properties.ContentBasedDeduplication).toBe(false);
        expect(q.Properties.QueueName).toMatch(/\.fifo$/);
      } else {
        expect(q.Properties.FifoQueue).toBeUndefined();
        expect(q.Properties.QueueName).not.toMatch(/\.fifo$/);
      }
    }
  });

  it("settlement is a FIFO queue with a FIFO DLQ", () => {
    for (const id of [queueId("settlement"), dlqId("settlement")]) {
      const props = (backend.toJSON().Resources[id] as Json).Properties;
      expect(props.FifoQueue).toBe(true);
      expect(props.QueueName).toMatch(/\.fifo$/);
    }
  });

  it.each(queueNames)("%s: consumer wired with batch size and partial batch failures", (name) => {
    const spec = manifest.queues[name];
    backend.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: fnId(built.queues[name].consumer) },
      EventSourceArn: getAttArn(queueId(name)),
      BatchSize: spec.batchSize,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    const consumer = backend.toJSON().Resources[fnId(built.queues[name].consumer)] as Json;
    expect(consumer.Properties.Timeout).toBe(spec.consumerTimeoutSeconds);
  });
});

describe("HTTP API", () => {
  it("routes $default to the handler with open CORS", () => {
    backend.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      // The manifest's CORS, which the local emulator applies too; signed requests' headers included.
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ["*"],
        AllowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
        AllowHeaders: [...manifest.http.cors.allowHeaders],
        ExposeHeaders: [...manifest.http.cors.exposeHeaders],
      }),
    });
    for (const route of manifest.http.routes) {
      backend.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        ApiId: { Ref: logicalId(built.api.cdk.httpApi.node.defaultChild as CfnElement) },
        RouteKey: route,
      });
    }
    const http = backend.toJSON().Resources[fnId(built.functions.http[0]!)] as Json;
    expect(http.Properties.Timeout).toBe(manifest.http.timeoutSeconds);
  });
});

describe("streaming Function URL", () => {
  const stream = () => built.functions.httpStream;
  const props = () => (backend.toJSON().Resources[fnId(stream())] as Json).Properties;

  it("serves the streaming handler through a Function URL in RESPONSE_STREAM mode, auth NONE, CORS like the HTTP API", () => {
    backend.resourceCountIs("AWS::Lambda::Url", 1);
    backend.hasResourceProperties("AWS::Lambda::Url", {
      TargetFunctionArn: getAttArn(fnId(stream())),
      AuthType: "NONE",
      InvokeMode: "RESPONSE_STREAM",
      Cors: Match.objectLike({
        AllowOrigins: ["*"],
        AllowMethods: ["GET", "POST", "DELETE"],
        AllowHeaders: [...manifest.http.cors.allowHeaders],
        ExposeHeaders: [...manifest.http.cors.exposeHeaders],
      }),
    });
    // Anyone may call the URL (the app checks API keys); nothing else may invoke the function.
    backend.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunctionUrl",
      FunctionName: getAttArn(fnId(stream())),
      Principal: "*",
      FunctionUrlAuthType: "NONE",
    });
  });

  it("runs the manifest's streaming handler with its timeout", () => {
    expect(props().Timeout).toBe(manifest.http.streaming.timeoutSeconds);
    // SST bundles functions/http-stream.ts to http-stream.mjs and keeps the export name.
    const [file, exportName] = manifest.http.streaming.handler.split(".") as [string, string];
    expect(props().Handler).toMatch(new RegExp(`${file.split("/").pop()}\\.${exportName}$`));
  });

  it("binds the dispatcher's key and ids like the HTTP API, and nothing the operator signs with", () => {
    const env = envOf(stream());
    expect(env.SST_Parameter_value_DISPATCHER_ACCOUNT_ID).toBe("0.0.0");
    expect(env.SST_Parameter_value_TREASURY_ACCOUNT_ID).toBe("0.0.0");
    const ssm = JSON.stringify(allowing(stream(), "ssm:GetParameters").flatMap((s) => s.Resource));
    expect(ssm).toContain("DISPATCHER_KEY");
    expect(ssm).not.toMatch(/HEDERA_OPERATOR|FLUENCE/);
  });

  it("is published as the StreamUrl output", () => {
    const [url] = Object.keys(backend.findResources("AWS::Lambda::Url"));
    expect(backend.findOutputs("StreamUrl").StreamUrl!.Value).toEqual({ "Fn::GetAtt": [url, "FunctionUrl"] });
  });
});

describe("WebSocket API", () => {
  it("has one route per manifest route", () => {
    const wsApiId = logicalId(built.ws.cdk.webSocketApi.node.defaultChild as CfnElement);
    backend.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "WEBSOCKET" });
    const routes = Object.values(backend.findResources("AWS::ApiGatewayV2::Route"))
      .filter((r: Json) => r.Properties.ApiId?.Ref === wsApiId)
      .map((r: Json) => r.Properties.RouteKey as string);
    expect(routes.sort()).toEqual(Object.keys(manifest.websocket.routes).sort());
  });
});

describe("crons", () => {
  it.each(cronNames)("%s: schedule from the manifest, targets its function", (name) => {
    backend.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: manifest.crons[name].schedule,
      Targets: [Match.objectLike({ Arn: getAttArn(fnId(built.crons[name].fn)) })],
    });
    const fn = backend.toJSON().Resources[fnId(built.crons[name].fn)] as Json;
    expect(fn.Properties.Timeout).toBe(manifest.crons[name].timeoutSeconds);
  });
});

describe("functions", () => {
  it("all run nodejs22.x", () => {
    const runtimes = Object.values(backend.findResources("AWS::Lambda::Function")).map((f: Json) => f.Properties.Runtime);
    expect(new Set(runtimes)).toEqual(new Set(["nodejs22.x"]));
  });

  it("app functions: arm64, 512 MB, Powertools names and the base environment", () => {
    for (const [label, fn] of appFunctions()) {
      const props = (backend.toJSON().Resources[fnId(fn)] as Json).Properties;
      expect(props.Architectures, label).toEqual(["arm64"]);
      expect(props.MemorySize, label).toBe(512);
      expect(envOf(fn), label).toMatchObject({
        [manifest.env.tableName]: { Ref: logicalId(built.table.cdk.table.node.defaultChild as CfnElement) },
        [manifest.env.epochSeconds]: String(manifest.defaults.epochSeconds),
        [manifest.env.maxBodyBytes]: String(manifest.defaults.maxBodyBytes),
        POWERTOOLS_SERVICE_NAME: "tensornode",
        POWERTOOLS_METRICS_NAMESPACE: "TensorNode",
      });
    }
  });

  it("producers get their queue URLs, nobody else does", () => {
    const urlEnvs = queueNames.map((q) => manifest.queues[q].urlEnv);
    const queueEnvOf = (fn: Function) => urlEnvs.filter((name) => name in envOf(fn));
    const http = built.functions.http[0]!;
    for (const fn of [http, built.functions.httpStream]) {
      expect(envOf(fn)[manifest.queues.inference.urlEnv]).toEqual({ Ref: queueId("inference") });
      expect(queueEnvOf(fn)).toEqual([manifest.queues.inference.urlEnv]);
    }
    expect(envOf(built.crons.epochClose.fn)[manifest.queues.settlement.urlEnv]).toEqual({ Ref: queueId("settlement") });
    expect(queueEnvOf(built.crons.epochClose.fn)).toEqual([manifest.queues.settlement.urlEnv]);
    for (const [label, fn] of appFunctions().filter(([, f]) => f !== http && f !== built.functions.httpStream && f !== built.crons.epochClose.fn)) {
      expect(queueEnvOf(fn), label).toEqual([]);
    }
  });

  it("only the inference consumer gets WS_MANAGEMENT_ENDPOINT (the stage's https callback URL)", () => {
    const endpoint = envOf(built.queues.inference.consumer)[manifest.env.wsManagementEndpoint];
    expect(JSON.stringify(endpoint)).toContain("https://");
    expect(JSON.stringify(endpoint)).toContain(logicalId(built.ws.cdk.webSocketApi.node.defaultChild as CfnElement));
    const others = appFunctions().filter(([, f]) => f !== built.queues.inference.consumer);
    for (const [label, fn] of others) expect(envOf(fn), label).not.toHaveProperty(manifest.env.wsManagementEndpoint);
  });
});

describe("least privilege", () => {
  it("every app function gets exactly the item-level DynamoDB actions on the table and its indexes", () => {
    const tableArn = getAttArn(logicalId(built.table.cdk.table.node.defaultChild as CfnElement));
    for (const [label, fn] of appFunctions()) {
      const dynamo = statementsOf(fn).filter((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
      expect(dynamo, label).toHaveLength(1);
      expect(dynamo[0]!.Action.sort(), label).toEqual([...TABLE_ACTIONS].sort());
      expect(dynamo[0]!.Resource, label).toEqual([
        tableArn,
        { "Fn::Join": ["", [tableArn, "/index/*"]] },
      ]);
    }
  });

  it.each(["http", "http-stream"])("the %s function may send to the inference queue only, and has no execute-api", (label) => {
    const http = label === "http" ? built.functions.http[0]! : built.functions.httpStream;
    const send = allowing(http, "sqs:SendMessage");
    expect(send).toHaveLength(1);
    expect(send[0]!.Resource).toEqual([getAttArn(queueId("inference"))]);
    expect(statementsOf(http).flatMap((s) => s.Action).filter((a) => a.startsWith("execute-api:"))).toEqual([]);
  });

  it("the epochClose cron may send to the settlement queue only", () => {
    const send = allowing(built.crons.epochClose.fn, "sqs:SendMessage");
    expect(send).toHaveLength(1);
    expect(send[0]!.Resource).toEqual([getAttArn(queueId("settlement"))]);
  });

  it("consumers do not send; each may only receive from its own queue", () => {
    for (const name of queueNames) {
      const consumer = built.queues[name].consumer;
      expect(allowing(consumer, "sqs:SendMessage"), name).toEqual([]);
      const receive = allowing(consumer, "sqs:ReceiveMessage");
      expect(receive.flatMap((s) => s.Resource), name).toEqual([getAttArn(queueId(name))]);
    }
  });

  it("execute-api:ManageConnections only for the WS handlers and the inference consumer, scoped to the WS API", () => {
    const wsApiId = logicalId(built.ws.cdk.webSocketApi.node.defaultChild as CfnElement);
    const allowed = new Set<Function>([...built.functions.ws, built.queues.inference.consumer]);
    for (const [label, fn] of appFunctions()) {
      const manage = allowing(fn, "execute-api:ManageConnections");
      if (!allowed.has(fn)) {
        expect(manage, label).toEqual([]);
        continue;
      }
      expect(manage.length, label).toBeGreaterThan(0);
      for (const resource of manage.flatMap((s) => s.Resource)) {
        expect(resource, label).not.toBe("*");
        expect(JSON.stringify(resource), label).toContain(`{"Ref":"${wsApiId}"}`);
        expect(JSON.stringify(resource), label).toContain("/@connections/*");
      }
    }
  });

  it("Hedera operator and Fluence secrets are bound only to the settlement consumer and the health probe", () => {
    const withSecrets = new Set<Function>([built.queues.settlement.consumer, built.crons.healthProbe.fn]);
    for (const [label, fn] of appFunctions()) {
      const ssm = allowing(fn, "ssm:GetParameters").flatMap((s) => s.Resource);
      const text = JSON.stringify(ssm);
      if (withSecrets.has(fn)) {
        for (const name of ["HEDERA_OPERATOR_ID", "HEDERA_OPERATOR_KEY", "FLUENCE_API_KEY"]) expect(text, label).toContain(name);
      } else if (fn === built.queues.inference.consumer) {
        // It runs the miner-hosting jobs (Fluence VMs), never payments.
        expect(text, label).toContain("FLUENCE_API_KEY");
        expect(text, label).not.toMatch(/HEDERA_OPERATOR/);
      } else {
        expect(text, label).not.toMatch(/HEDERA_OPERATOR|FLUENCE/);
      }
    }
  });

  it("the dispatch key is bound only to what dispatches work to miners; the deposit scan holds no secret", () => {
    const dispatchers = new Set<Function>([...built.functions.http, built.functions.httpStream, built.queues.inference.consumer, built.ws.getFunction("chat")!].filter(Boolean));
    for (const [label, fn] of appFunctions()) {
      const text = JSON.stringify(allowing(fn, "ssm:GetParameters").flatMap((s) => s.Resource));
      if (dispatchers.has(fn)) expect(text, label).toContain("DISPATCHER_KEY");
      else expect(text, label).not.toContain("DISPATCHER_KEY");
    }
    expect(allowing(built.crons.depositScan.fn, "ssm:GetParameters")).toEqual([]);
    expect(envOf(built.crons.depositScan.fn).SST_Parameter_value_TREASURY_ACCOUNT_ID).toBe("0.0.0");
  });

  it("the HTTP API and the streaming function get the Hedera network parameter but never the operator's secrets", () => {
    for (const fn of [...built.functions.http, built.functions.httpStream]) {
      // A Config.Parameter is bound as a plain environment value; secrets would need SSM access.
      expect(envOf(fn).SST_Parameter_value_HEDERA_NETWORK).toBe("testnet");
      expect(JSON.stringify(allowing(fn, "ssm:GetParameters").flatMap((s) => s.Resource))).not.toMatch(/HEDERA_OPERATOR|FLUENCE/);
    }
  });

  it("no policy in either stack uses dynamodb:*, sqs:*, or Resource * for DynamoDB/SQS actions", () => {
    for (const template of [backend, web]) {
      const resources = template.toJSON().Resources as Record<string, Json>;
      const statements = Object.values(resources).flatMap((r) => {
        if (r.Type === "AWS::IAM::Policy") return asArray<Json>(r.Properties.PolicyDocument.Statement);
        if (r.Type === "AWS::IAM::Role") return asArray<Json>(r.Properties.Policies).flatMap((p) => asArray<Json>(p.PolicyDocument.Statement));
        return [];
      });
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        const actions = asArray<string>(s.Action);
        const dataPlane = actions.filter((a) => a.startsWith("dynamodb:") || a.startsWith("sqs:"));
        expect(actions).not.toContain("dynamodb:*");
        expect(actions).not.toContain("sqs:*");
        expect(actions).not.toContain("*");
        if (dataPlane.length > 0) expect(asArray(s.Resource)).not.toContain("*");
      }
    }
  });
});

describe("outputs", () => {
  it("Backend publishes the URLs, the table name and every queue and DLQ URL", () => {
    const names = [
      "ApiUrl",
      "StreamUrl",
      "WebSocketUrl",
      "TableName",
      ...queueNames.flatMap((q) => [`${pascal(q)}QueueUrl`, `${pascal(q)}DlqUrl`]),
    ];
    const outputs = backend.findOutputs("*");
    for (const name of names) expect(outputs, name).toHaveProperty(name);
    expect(outputs.InferenceQueueUrl!.Value).toEqual({ Ref: queueId("inference") });
    expect(outputs.SettlementDlqUrl!.Value).toEqual({ Ref: dlqId("settlement") });
  });

  it("Web publishes the dashboard URL", () => {
    expect(web.findOutputs("*")).toHaveProperty("DashboardUrl");
  });
});
