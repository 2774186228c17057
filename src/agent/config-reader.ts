// A small typed reader over a parsed YAML document: every value it hands out has been checked, and
// every problem names the key path and its line, e.g. `agent.yaml:12: sensors.file.mounts: expected …`.
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { agentDiagnostic, AgentCodes, type AgentDiagnostic } from './diagnostics.ts';

export type KeyPath = readonly (string | number)[];

export type ConfigReader = {
  readonly problems: AgentDiagnostic[];
  /** The value at `path` (undefined when absent). */
  get(path: KeyPath): unknown;
  problem(path: KeyPath, message: string): void;
  /** Refuses keys of the mapping at `path` that are not in `known` (a typo must not pass silently). */
  onlyKeys(path: KeyPath, known: readonly string[]): void;
  string(path: KeyPath, fallback: string): string;
  optionalString(path: KeyPath): string | undefined;
  number(path: KeyPath, fallback: number, range: { min: number; max: number; integer?: boolean }): number;
  boolean(path: KeyPath, fallback: boolean): boolean;
  oneOf<T extends string>(path: KeyPath, choices: readonly T[], fallback: T): T;
  strings(path: KeyPath, fallback: string[], check?: (value: string) => string | undefined): string[];
};

export function parseConfigText(text: string, file: string): { ok: true; reader: ConfigReader } | { ok: false; diagnostics: AgentDiagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => agentDiagnostic(AgentCodes.configSyntax, `not valid YAML: ${e.message.split('\n')[0]}`, { file, line: lineCounter.linePos(e.pos[0]).line })),
    };
  }
  const root: unknown = doc.contents === null ? {} : doc.toJS();
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.configInvalid, 'expected a mapping of settings at the top level', { file, line: 1 })] };
  }
  return { ok: true, reader: createReader(root ?? {}, file, doc, lineCounter) };
}

export function createReader(root: unknown, file: string, doc?: Document, lineCounter?: LineCounter): ConfigReader {
  const problems: AgentDiagnostic[] = [];
  const lineOf = (path: KeyPath): number | undefined => {
    if (!doc || !lineCounter) return undefined;
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const key = (path: KeyPath) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
  const get = (path: KeyPath): unknown => {
    let value: unknown = root;
    for (const part of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[part];
    }
    return value;
  };
  const problem = (path: KeyPath, message: string) => {
    const line = lineOf(path);
    problems.push(agentDiagnostic(AgentCodes.configInvalid, message, { file, key: key(path), ...(line === undefined ? {} : { line }) }));
  };
  const describe = (value: unknown) => (Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`);
  const reader: ConfigReader = {
    problems,
    get,
    problem,
    onlyKeys(path, known) {
      const value = get(path);
      if (value === undefined || value === null) return;
      if (typeof value !== 'object' || Array.isArray(value)) { problem(path, `expected a mapping, got ${describe(value)}`); return; }
      for (const name of Object.keys(value)) {
        if (!known.includes(name)) problem([...path, name], `unknown setting; expected one of ${known.join(', ')}`);
      }
    },
    string(path, fallback) { return reader.optionalString(path) ?? fallback; },
    optionalString(path) {
      const value = get(path);
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string' && value !== '') return value;
      problem(path, `expected a non-empty string, got ${describe(value)}`);
      return undefined;
    },
    number(path, fallback, range) {
      const value = get(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value)) || value < range.min || value > range.max) {
        problem(path, `expected ${range.integer === true ? 'an integer' : 'a number'} from ${range.min} to ${range.max}, got ${describe(value)}`);
        return fallback;
      }
      return value;
    },
    boolean(path, fallback) {
      const value = get(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value === 'boolean') return value;
      problem(path, `expected true or false, got ${describe(value)}`);
      return fallback;
    },
    oneOf(path, choices, fallback) {
      const value = get(path);
      if (value === undefined || value === null) return fallback;
      if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as (typeof choices)[number];
      problem(path, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
      return fallback;
    },
    strings(path, fallback, check) {
      const value = get(path);
      if (value === undefined || value === null) return fallback;
      if (!Array.isArray(value)) { problem(path, `expected a list of strings, got ${describe(value)}`); return fallback; }
      const out: string[] = [];
      value.forEach((item, i) => {
        if (typeof item !== 'string' || item === '') { problem([...path, i], `expected a non-empty string, got ${describe(item)}`); return; }
        const why = check?.(item);
        if (why !== undefined) problem([...path, i], why);
        else out.push(item);
      });
      return out;
    },
  };
  return reader;
}

export function absolutePath(value: string): string | undefined {
  return value.startsWith('/') ? undefined : `expected an absolute path, got "${value}"`;
}
