// Splits a (multi-document) YAML source into plain JS documents, keeping enough of the YAML tree to
// point diagnostics at the line of an offending key.
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document } from 'yaml';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics.ts';

export type YamlDocument = {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based line of the node at a key path inside the document, or the document's line. */
  lineOf(path: readonly (string | number)[]): number;
};

/** Upper bound on a single rule source, so a hostile file cannot exhaust memory in the YAML parser. */
export const maxSourceBytes = 4 * 1024 * 1024;

export function readYamlDocuments(source: string, text: string): { documents: YamlDocument[]; diagnostics: Diagnostic[] } {
  if (text.length > maxSourceBytes) {
    return { documents: [], diagnostics: [diagnostic(DiagnosticCodes.limitExceeded, `source is larger than ${maxSourceBytes} bytes`, { source })] };
  }
  const lineCounter = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    // Alias expansion is capped: a "billion laughs" document is rejected instead of expanded.
    parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true }) as Document.Parsed[];
  } catch (error) {
    return { documents: [], diagnostics: [diagnostic(DiagnosticCodes.yamlSyntax, messageOf(error), { source })] };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parsed) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!;
      const at = error.linePos?.[0]?.line ?? line;
      diagnostics.push(diagnostic(DiagnosticCodes.yamlSyntax, firstLine(error.message), { source, line: at }));
      continue;
    }
    if (doc.contents === null) continue; // an empty document (e.g. a trailing `---`)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      diagnostics.push(diagnostic(DiagnosticCodes.yamlSyntax, messageOf(error), { source, line }));
      continue;
    }
    documents.push({ value, line, lineOf: (path) => lineOfPath(doc, lineCounter, path) ?? line });
  }
  return { documents, diagnostics };
}

function lineOfPath(doc: Document.Parsed, lineCounter: LineCounter, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      const keyRange = (pair.key as { range?: [number, number, number] }).range;
      if (keyRange) best = lineCounter.linePos(keyRange[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) best = lineCounter.linePos(range[0]).line;
    } else {
      break;
    }
  }
  return best;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/:$/, '');
}

function messageOf(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}
