// The audit wire format (records grouped by serial, quoted / hex / chunked arguments) and the join
// that fills the process sensor's incomplete events from audit records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessCreationEvent, SensorEvent } from '../../src/events/index.ts';
import { createExecJoin } from '../../src/sensors/index.ts';
import { auditString, auditTypes, createAuditAssembler, parseAuditMessage, parseAuditText } from '../../src/sensors/linux/audit-records.ts';

const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();
const rec = (type: number, serial: number, body: string) => parseAuditText(type, `audit(1700000000.250:${serial}): ${body}`)!;

describe('audit records', () => {
  it('decodes one execve event (SYSCALL, EXECVE, CWD, PATH, PROCTITLE, EOE) into argv, exe, cwd, pids', () => {
    const a = createAuditAssembler();
    const records = [
      rec(auditTypes.SYSCALL, 7, `arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=55e items=2 ppid=100 pid=101 auid=1000 uid=0 gid=0 comm="true" exe="/usr/bin/true" key="k1"`),
      rec(auditTypes.EXECVE, 7, `argc=3 a0="/bin/true" a1=${hex('a b')} a2="plain"`),
      rec(auditTypes.CWD, 7, `cwd=${hex('/tmp/with space')}`),
      rec(auditTypes.PATH, 7, `item=0 name="/bin/true" inode=5 nametype=NORMAL`),
      rec(auditTypes.PROCTITLE, 7, `proctitle=${hex('/bin/true\0a b')}`),
    ];
    for (const r of records) assert.deepEqual(a.add(r, 0), []);
    const [exec] = a.add(rec(auditTypes.EOE, 7, ''), 0);
    assert.deepEqual(exec, {
      serial: 7, timeMs: 1700000000250, pid: 101, ppid: 100, uid: 0, auid: 1000, exe: '/usr/bin/true', comm: 'true', key: 'k1',
      cwd: '/tmp/with space', args: ['/bin/true', 'a b', 'plain'],
    });
    assert.equal(a.pending(), 0);
  });

  it('joins chunked long arguments and arguments spread over several EXECVE records', () => {
    const a = createAuditAssembler();
    a.add(rec(auditTypes.SYSCALL, 8, 'arch=c000003e syscall=59 success=yes ppid=1 pid=2 auid=4294967295 uid=0 exe="/bin/sh"'), 0);
    a.add(rec(auditTypes.EXECVE, 8, `argc=3 a0="sh" a1_len=6 a1[0]=${hex('abc')} a1[1]=${hex('def')}`), 0);
    a.add(rec(auditTypes.EXECVE, 8, 'a2="tail"'), 0);
    const [exec] = a.add(rec(auditTypes.EOE, 8, ''), 0);
    assert.deepEqual(exec?.args, ['sh', 'abcdef', 'tail']);
    assert.equal(exec?.auid, undefined, 'unset auid (4294967295) is absent');
  });

  it('ignores failed execs and other syscalls, and completes events that never got their EOE', () => {
    const a = createAuditAssembler();
    a.add(rec(auditTypes.SYSCALL, 9, 'arch=c000003e syscall=59 success=no exit=-2 ppid=1 pid=3'), 0);
    assert.deepEqual(a.add(rec(auditTypes.EOE, 9, ''), 0), []);
    a.add(rec(auditTypes.SYSCALL, 10, 'arch=c000003e syscall=2 success=yes ppid=1 pid=3'), 0);
    assert.deepEqual(a.add(rec(auditTypes.EOE, 10, ''), 0), []);
    a.add(rec(auditTypes.SYSCALL, 11, 'arch=c000003e syscall=322 success=yes ppid=1 pid=4 exe="/x"'), 0);
    a.add(rec(auditTypes.EXECVE, 11, 'argc=1 a0="/x"'), 0);
    assert.deepEqual(a.flush(500, 1000), []);
    assert.deepEqual(a.flush(1000, 1000).map((e) => e.args), [['/x']]);
  });

  it('parses the netlink message and its quoted, hex and absent strings', () => {
    const text = 'audit(1700000001.002:3): cwd="/"';
    const buf = Buffer.alloc(16 + text.length);
    buf.writeUInt32LE(buf.length, 0);
    buf.writeUInt16LE(auditTypes.CWD, 4);
    buf.write(text, 16, 'latin1');
    assert.deepEqual(parseAuditMessage(buf, buf.length), { type: auditTypes.CWD, serial: 3, timeMs: 1700000001002, body: 'cwd="/"' });
    assert.equal(parseAuditMessage(buf, 8), undefined);
    assert.equal(parseAuditText(1300, 'not an audit record'), undefined);
    assert.equal(auditString('"q"'), 'q');
    assert.equal(auditString('(null)'), undefined);
    assert.equal(auditString('2F746D70'), '/tmp');
  });
});

describe('exec join (audit fills the process sensor)', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const proc = (pid: number, over: Partial<ProcessCreationEvent> = {}): ProcessCreationEvent => ({
    kind: 'process_creation', '@timestamp': at, host: { name: 'h' }, missing: [], ProcessGuid: `g-${pid}`, ProcessId: pid, ...over,
  });
  const incomplete = (pid: number) => proc(pid, { missing: ['Image', 'CommandLine', 'CurrentDirectory'] });
  const audit = (pid: number) => proc(pid, { Image: '/usr/bin/true', CommandLine: '/bin/true x', CurrentDirectory: '/tmp', LogonId: 1000 });

  it('passes complete events through at once and drops the audit duplicates', () => {
    const join = createExecJoin();
    const out: SensorEvent[] = [];
    join.fromAudit(audit(1));
    join.fromProcess(proc(1, { CommandLine: 'from proc' }), (e) => out.push(e));
    assert.deepEqual(out.map((e) => (e as ProcessCreationEvent).CommandLine), ['from proc']);
  });

  it('fills an incomplete event from an audit record that came first or within the hold time', async () => {
    const join = createExecJoin({ holdMs: 200 });
    const out: ProcessCreationEvent[] = [];
    const sink = (e: SensorEvent) => out.push(e as ProcessCreationEvent);
    join.fromAudit(audit(2));
    join.fromProcess(incomplete(2), sink);
    join.fromProcess(incomplete(3), sink); // held: audit is delivering exec records
    assert.equal(out.length, 1);
    join.fromAudit(audit(3));
    assert.equal(out.length, 2);
    for (const e of out) {
      assert.equal(e.CommandLine, '/bin/true x');
      assert.equal(e.Image, '/usr/bin/true');
      assert.deepEqual(e.missing, []);
      assert.equal(e.LogonId, 1000);
    }
    join.fromProcess(incomplete(4), sink); // no record comes: emitted unchanged after the hold
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(out[2]?.missing, ['Image', 'CommandLine', 'CurrentDirectory']);
    assert.deepEqual(join.counters(), { filled: 2, held: 2, not_filled: 1, audit_execs: 2, held_now: 0 });
  });

  it('never holds when audit delivers no exec records', () => {
    const join = createExecJoin();
    const out: SensorEvent[] = [];
    join.fromProcess(incomplete(5), (e) => out.push(e));
    assert.equal(out.length, 1);
  });
});
