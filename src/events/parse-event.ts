// Turns untrusted JSON (a replayed JSON Lines file, an --events-out file) into a typed SensorEvent or
// a coded diagnostic that says which field is wrong and why. Pure: no I/O.
import { sensorEventKinds, type SensorEvent, type SensorEventKind } from './sensor-event.ts';

export type EventDiagnostic = { code: 'event.not-object' | 'event.kind' | 'event.field'; message: string; field?: string };
export type ParseEventResult = { ok: true; event: SensorEvent } | { ok: false; diagnostic: EventDiagnostic };

type FieldType = 'string' | 'number' | 'bool-string';
type Schema = { required: Record<string, FieldType>; optional: Record<string, FieldType> };

const processIdentity = { Image: 'string', ProcessId: 'number', ProcessGuid: 'string', User: 'string' } as const;
const schemas: Record<SensorEventKind, Schema> = {
  process_creation: {
    required: { ProcessId: 'number', ProcessGuid: 'string' },
    optional: {
      Image: 'string', CommandLine: 'string', CurrentDirectory: 'string', User: 'string', LogonId: 'number',
      ParentProcessGuid: 'string', ParentProcessId: 'number', ParentImage: 'string',
      ParentCommandLine: 'string', ParentUser: 'string',
    },
  },
  process_termination: {
    required: { ProcessId: 'number', ProcessGuid: 'string' },
    optional: { Image: 'string', User: 'string', ExitCode: 'number' },
  },
  file_event: {
    required: { action: 'string', TargetFilename: 'string' },
    optional: { SourceFilename: 'string', ...processIdentity },
  },
  network_connection: {
    required: {
      Protocol: 'string', Initiated: 'bool-string', SourceIp: 'string', SourcePort: 'number',
      DestinationIp: 'string', DestinationPort: 'number',
    },
    optional: { SourceIsIpv6: 'bool-string', DestinationIsIpv6: 'bool-string', ...processIdentity },
  },
};

export function parseEvent(value: unknown): ParseEventResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('event.not-object', 'an event must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const kind = record['kind'];
  if (typeof kind !== 'string' || !(sensorEventKinds as readonly string[]).includes(kind)) {
    return fail('event.kind', `field "kind" must be one of ${sensorEventKinds.join(', ')}`, 'kind');
  }
  const timestamp = record['@timestamp'];
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
    return fail('event.field', 'field "@timestamp" must be an ISO 8601 date string', '@timestamp');
  }
  const schema = schemas[kind as SensorEventKind];
  for (const [field, type] of Object.entries(schema.required)) {
    if (!(field in record)) return fail('event.field', `field "${field}" is required for ${kind}`, field);
  }
  for (const [field, type] of Object.entries({ ...schema.required, ...schema.optional })) {
    if (field in record && !hasType(record[field], type)) {
      return fail('event.field', `field "${field}" must be ${describe(type)}`, field);
    }
  }
  if (kind === 'file_event' && !['created', 'modified', 'deleted', 'renamed'].includes(record['action'] as string)) {
    return fail('event.field', 'field "action" must be created, modified, deleted or renamed', 'action');
  }
  if (kind === 'network_connection' && record['Protocol'] !== 'tcp' && record['Protocol'] !== 'udp') {
    return fail('event.field', 'field "Protocol" must be tcp or udp', 'Protocol');
  }
  const missing = record['missing'] ?? [];
  if (!Array.isArray(missing) || missing.some((m) => typeof m !== 'string')) {
    return fail('event.field', 'field "missing" must be a list of field names', 'missing');
  }
  const host = record['host'] ?? { name: '' };
  if (typeof host !== 'object' || host === null || typeof (host as { name?: unknown }).name !== 'string') {
    return fail('event.field', 'field "host" must be an object with a string "name"', 'host');
  }
  return { ok: true, event: { ...record, host, missing } as SensorEvent };
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool-string':
      return value === 'true' || value === 'false';
  }
}

function describe(type: FieldType): string {
  return type === 'bool-string' ? 'the string "true" or "false"' : `a ${type}`;
}

function fail(code: EventDiagnostic['code'], message: string, field?: string): ParseEventResult {
  return { ok: false, diagnostic: field === undefined ? { code, message } : { code, message, field } };
}
