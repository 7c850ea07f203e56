import { listQuerySchema, parseInput } from "@tensornode/core";

/** `?limit=&before=` for list endpoints; anything else in the query is a 400. */
export const parseListQuery = (query: Record<string, string>) => parseInput(listQuerySchema, query);
