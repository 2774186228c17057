import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logsourceOf, parseEvent, parseProcessKey, processKey, type FileEvent } from '../../src/events/index.ts';

const base = { '@timestamp': '2026-01-01T00:00:00.000Z', host: { name: 'h' }, missing: [] };

describe('parseEvent', () => {
  it('accepts each kind with its required fields', () => {
    for (const value of [
      { ...base, kind: 'process_creation', ProcessId: 1, ProcessGuid: 'g' },
      { ...base, kind: 'process_termination', ProcessId: 1, ProcessGuid: 'g' },
      { ...base, kind: 'file_event', action: 'renamed', TargetFilename: '/x', SourceFilename: '/y' },
      { ...base, kind: 'network_connection', Protocol: 'udp', Initiated: 'true', SourceIp: '::1', SourcePort: 1, DestinationIp: '::1', DestinationPort: 2 },
    ]) {
      const result = parseEvent(value);
      assert.ok(result.ok, JSON.stringify(result));
    }
  });

  it('says which field is wrong and why', () => {
    const cases: [unknown, string, string | undefined][] = [
      [[], 'event.not-object', undefined],
      [{ ...base, kind: 'nope' }, 'event.kind', 'kind'],
      [{ ...base, '@timestamp': 'yesterday', kind: 'process_creation', ProcessId: 1, ProcessGuid: 'g' }, 'event.field', '@timestamp'],
      [{ ...base, kind: 'process_creation', ProcessGuid: 'g' }, 'event.field', 'ProcessId'],
      [{ ...base, kind: 'file_event', action: 'touched', TargetFilename: '/x' }, 'event.field', 'action'],
      [{ ...base, kind: 'network_connection', Protocol: 'tcp', Initiated: true, SourceIp: 'a', SourcePort: 1, DestinationIp: 'b', DestinationPort: 2 }, 'event.field', 'Initiated'],
      [{ ...base, kind: 'process_creation', ProcessId: 1, ProcessGuid: 'g', missing: 'Image' }, 'event.field', 'missing'],
    ];
    for (const [value, code, field] of cases) {
      const result = parseEvent(value);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.diagnostic.code, code);
      assert.equal(!result.ok && result.diagnostic.field, field);
    }
  });

  it('defaults host and missing for foreign JSON Lines', () => {
    const result = parseEvent({ kind: 'process_creation', '@timestamp': base['@timestamp'], ProcessId: 1, ProcessGuid: 'g' });
    assert.ok(result.ok);
    assert.deepEqual(result.ok && [result.event.host, result.event.missing], [{ name: '' }, []]);
  });
});

describe('logsourceOf', () => {
  it('routes deletions to file_delete and everything else to its own category', () => {
    const file = (action: FileEvent['action']): FileEvent => ({ ...base, kind: 'file_event', action, TargetFilename: '/x' });
    assert.deepEqual(logsourceOf(file('deleted')), { product: 'linux', category: 'file_delete' });
    assert.deepEqual(logsourceOf(file('created')), { product: 'linux', category: 'file_event' });
  });
});

describe('processKey', () => {
  it('round-trips', () => {
    const key = processKey({ bootId: 'f52922bc-6385-4c03', pid: 42, startTicks: 1234 });
    assert.equal(key, 'f52922bc-42-1234');
    assert.deepEqual(parseProcessKey(key), { bootId: 'f52922bc', pid: 42, startTicks: 1234 });
    assert.equal(parseProcessKey('junk'), undefined);
  });
});
