import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import type { ConnectionPush } from "@tensornode/core";

/**
 * Pushes JSON messages to WebSocket clients through the API Gateway Management API.
 * The endpoint is `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}` in AWS and the
 * local gateway's URL locally. A 410 (GoneException) means the client left: reported, not thrown.
 */
export class ApiGatewayConnectionPush implements ConnectionPush {
  private readonly client: ApiGatewayManagementApiClient;

  constructor(endpoint: string) {
    this.client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 2 });
  }

  async send(connectionId: string, message: unknown): Promise<"delivered" | "gone"> {
    try {
      await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }));
      return "delivered";
    } catch (error) {
      if ((error as Error).name === "GoneException") return "gone";
      throw error;
    }
  }
}
