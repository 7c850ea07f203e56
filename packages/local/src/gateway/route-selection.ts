/**
 * WebSocket route selection for `$request.body.<key>`: a JSON text message whose `key` names a
 * configured route goes there; anything else (other JSON, non-JSON, binary) goes to `$default`.
 * Returns undefined when nothing matches and there is no `$default` route.
 */
export function selectRoute(routes: Record<string, unknown>, key: string, text: string | undefined): string | undefined {
  const selected = text === undefined ? undefined : field(text, key);
  // "$connect"/"$disconnect" are reserved: a message can never select them.
  if (typeof selected === "string" && !selected.startsWith("$") && Object.hasOwn(routes, selected)) return selected;
  return Object.hasOwn(routes, "$default") ? "$default" : undefined;
}

function field(text: string, key: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}
