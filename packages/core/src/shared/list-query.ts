import { z } from "zod";

/** `?limit=&before=` of the list endpoints (usage); anything else in the query is a 400. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe("How many items, 1-100 (default 20)."),
  before: z.string().min(1).max(200).optional().describe("An id from a previous page: list what came before it."),
});
