// The descriptive keys every rule document shares (title, id, level, …), validated against the spec.
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';
import type { RuleMeta } from '../ast.ts';
import { readString, readStringList } from './fields.ts';

export const Levels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const Statuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

export type DocumentPlace = { source: string; line: number; lineOf(path: readonly (string | number)[]): number };

export function readMeta(doc: Record<string, unknown>, place: DocumentPlace): { meta: RuleMeta; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ruleId = typeof doc.id === 'string' ? doc.id : typeof doc.name === 'string' ? doc.name : `${place.source}:${place.line}`;
  const fail = (key: string, message: string, code: Diagnostic['code'] = DiagnosticCodes.invalidField) =>
    diagnostics.push(diagnostic(code, message, { source: place.source, ruleId, keyPath: key, line: place.lineOf([key]) }));

  let title = '';
  if (doc.title === undefined) fail('title', 'is missing', DiagnosticCodes.missingField);
  else {
    const read = readString(doc.title, { maxLength: 256 });
    if (read.ok) title = read.value; else fail('title', read.reason);
  }
  const optionalString = (key: string): string | undefined => {
    if (doc[key] === undefined || doc[key] === null) return undefined;
    if (typeof doc[key] === 'string') return doc[key];
    if (typeof doc[key] === 'number' || typeof doc[key] === 'boolean') return String(doc[key]);
    fail(key, 'must be a string');
    return undefined;
  };
  const list = (key: string): string[] => {
    const read = readStringList(doc[key]);
    if (read.ok) return read.value;
    fail(key, read.reason);
    return [];
  };
  const level = optionalString('level');
  if (level !== undefined && !(Levels as readonly string[]).includes(level)) fail('level', `must be one of ${Levels.join(', ')}`);
  const status = optionalString('status');
  if (status !== undefined && !(Statuses as readonly string[]).includes(status)) fail('status', `must be one of ${Statuses.join(', ')}`);
  const name = optionalString('name');
  const meta: RuleMeta = {
    id: ruleId,
    ...(name !== undefined && { name }),
    title,
    ...(level !== undefined && { level }),
    ...(status !== undefined && { status }),
    ...optional('description', optionalString('description')),
    ...optional('author', optionalString('author')),
    ...optional('license', optionalString('license')),
    tags: list('tags'),
    references: list('references'),
    falsepositives: list('falsepositives'),
    source: place.source,
    line: place.line,
  };
  return { meta, diagnostics };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
