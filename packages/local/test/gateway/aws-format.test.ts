import { describe, expect, it } from "vitest";
import { awsId, requestTime } from "../../src/gateway/aws-format.js";

describe("API Gateway formats", () => {
  it("formats request times like API Gateway", () => {
    expect(requestTime(new Date(Date.UTC(2026, 10, 25, 4, 13, 20)))).toBe("25/Nov/2026:04:13:20 +0000");
    expect(requestTime(new Date(Date.UTC(2027, 0, 5, 23, 0, 9)))).toBe("05/Jan/2027:23:00:09 +0000");
  });

  it("makes ids shaped like AWS's, padding included", () => {
    const ids = Array.from({ length: 100 }, awsId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(new Set(ids).size).toBe(100);
  });
});
