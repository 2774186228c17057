// Small typed readers for plain YAML values: each returns the value or a reason why not.

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(value: unknown, options: { maxLength?: number } = {}): Read<string> {
  if (typeof value !== 'string') return { ok: false, reason: `must be a string, not ${describe(value)}` };
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    return { ok: false, reason: `must be at most ${options.maxLength} characters long` };
  }
  return { ok: true, value };
}

/** A string or a list of strings (YAML authors write both), as a list. */
export function readStringList(value: unknown): Read<string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (typeof value === 'string') return { ok: true, value: [value] };
  if (!Array.isArray(value)) return { ok: false, reason: `must be a string or a list of strings, not ${describe(value)}` };
  const out: string[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else return { ok: false, reason: `item ${index} must be a string, not ${describe(item)}` };
  }
  return { ok: true, value: out };
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
