import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createReplaySensor, formatReplayDiagnostic, type ReplayDiagnostic } from '../../src/sensors/index.ts';
import { collector, tmpDir } from './helpers.ts';

describe('replay sensor', () => {
  it('replays events and reports malformed lines with their line number', async () => {
    const dir = tmpDir('ring3-replay-');
    const file = `${dir.dir}/events.jsonl`;
    const good = { kind: 'process_creation', '@timestamp': '2026-01-01T00:00:00.000Z', host: { name: 'h' }, missing: [], ProcessId: 7, ProcessGuid: 'x-7-1', Image: '/bin/sh' };
    writeFileSync(file, [
      JSON.stringify(good),
      '{not json',
      '',
      JSON.stringify({ ...good, kind: 'registry_event' }),
      JSON.stringify({ ...good, ProcessId: 'seven' }),
      JSON.stringify({ kind: 'file_event', '@timestamp': '2026-01-01T00:00:01.000Z', action: 'created', TargetFilename: '/tmp/x' }),
    ].join('\n'));
    const seen: ReplayDiagnostic[] = [];
    const sensor = createReplaySensor({ files: [file, `${dir.dir}/absent.jsonl`], onDiagnostic: (d) => seen.push(d) });
    const events = collector();
    try {
      await sensor.start(events.sink);
      await sensor.done();
      assert.equal(events.events.length, 2);
      assert.deepEqual(events.events[1]!.missing, []);
      assert.deepEqual(seen.map((d) => [d.code, d.line]), [['replay.json', 2], ['replay.event', 4], ['replay.event', 5], ['replay.read', undefined]]);
      assert.match(formatReplayDiagnostic(seen[2]!), /events\.jsonl:5: replay\.event: field "ProcessId" must be a number/);
      const status = sensor.status();
      assert.deepEqual([status.state, status.events, status.errors], ['stopped', 2, 4]);
    } finally {
      await sensor.stop();
      dir.dispose();
    }
  });
});
