import { ApiGatewayManagementApiClient, ForbiddenException, GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ApiGatewayConnectionPush } from "../../src/index.js";

const api = mockClient(ApiGatewayManagementApiClient);
const push = new ApiGatewayConnectionPush("https://abc.execute-api.us-east-1.amazonaws.com/prod");

beforeEach(() => api.reset());
afterAll(() => api.restore());

describe("ApiGatewayConnectionPush", () => {
  it("posts the message as JSON to the connection", async () => {
    api.on(PostToConnectionCommand).resolves({});
    expect(await push.send("Abc123=", { type: "job.updated", job: { id: "job_1" } })).toBe("delivered");
    expect(api.commandCalls(PostToConnectionCommand)[0]!.args[0].input).toEqual({ ConnectionId: "Abc123=", Data: '{"type":"job.updated","job":{"id":"job_1"}}' });
  });

  it("reports a GoneException (410) as gone", async () => {
    api.on(PostToConnectionCommand).rejects(new GoneException({ message: "", $metadata: { httpStatusCode: 410 } }));
    expect(await push.send("Abc123=", {})).toBe("gone");
  });

  it.each([
    ["a ForbiddenException", new ForbiddenException({ message: "Forbidden", $metadata: { httpStatusCode: 403 } })],
    ["a network error", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
  ])("rethrows %s", async (_, error) => {
    api.on(PostToConnectionCommand).rejects(error);
    await expect(push.send("Abc123=", {})).rejects.toBe(error);
  });
});
