import type { RequestOptions, Transport } from "../http.js";
import type { TranslationRequest, TranslationResponse, VisionAnalysis, VisionAnalyzeRequest } from "../types.js";

/** `POST /v1/translations`: text translation (billed per input character). */
export function translate(transport: Transport, request: TranslationRequest, options: RequestOptions = {}): Promise<TranslationResponse> {
  return transport.request({ ...options, method: "POST", path: "/v1/translations", body: request, auth: "key" });
}

/** `POST /v1/vision/analyze`: text lines, objects and labels in an image (billed per image). */
export function analyzeImage(transport: Transport, request: VisionAnalyzeRequest, options: RequestOptions = {}): Promise<VisionAnalysis> {
  return transport.request({ ...options, method: "POST", path: "/v1/vision/analyze", body: request, auth: "key" });
}
