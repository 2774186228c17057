// Reading group-by and value fields from an event: exact key first (flat events, and keys that contain
// dots), then dotted paths into nested objects. Values are compared as text, so 123 and "123" agree.

export function readField(event: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(event, name)) return event[name];
  let dot = name.indexOf('.');
  while (dot > 0) {
    const head = name.slice(0, dot);
    const inner = Object.hasOwn(event, head) ? event[head] : undefined;
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      const found = readField(inner as Record<string, unknown>, name.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = name.indexOf('.', dot + 1);
  }
  return undefined;
}

/** A value as grouping text, or undefined when it is missing or null (such events do not group). */
export function valueText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      try {
        return JSON.stringify(value);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/** A finite number, from a number or a numeric string; anything else is not a number to sum. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Appends `text` to a composite key without ambiguity: the length prefix keeps ("a:b", "c") apart
 * from ("a", "b:c").
 */
export function appendKey(key: string, text: string): string {
  return `${key}${text.length}:${text}`;
}
