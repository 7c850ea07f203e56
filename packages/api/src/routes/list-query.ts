import { parseInput } from "@tensornode/core";
import { z } from "zod";

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().min(1).max(200).optional().describe("An id from a previous page: list what came before it."),
});

/** `?limit=&before=` for list endpoints; anything else in the query is a 400. */
export const parseListQuery = (query: Record<string, string>) => parseInput(listQuerySchema, query);
