// Wire formats and /proc text, decoded from hand-built bytes (no kernel needed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProcNet } from '../../src/sensors/fallback/proc-net.ts';
import { parseFanotify } from '../../src/sensors/linux/fanotify.ts';
import { dumpRequest, parseDiag } from '../../src/sensors/linux/inet-diag.ts';
import { parseProcConnector, subscribeMessage } from '../../src/sensors/linux/proc-connector.ts';
import { formatCmdline, parseStat } from '../../src/sensors/linux/procfs.ts';
import { parsePasswd } from '../../src/sensors/linux/users.ts';
import { formatIpv6 } from '../../src/sensors/socket-row.ts';

describe('procfs text', () => {
  it('parses stat even when comm holds spaces and parentheses', () => {
    const stat = '4242 (my (evil) prog) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10';
    assert.deepEqual(parseStat(stat), { comm: 'my (evil) prog', ppid: 17, startTicks: 98765 });
  });
  it('formats a NUL-separated command line', () => {
    assert.equal(formatCmdline('sh\0-c\0echo hi\0'), 'sh -c echo hi');
  });
  it('maps uids to names from passwd', () => {
    assert.deepEqual([...parsePasswd('root:x:0:0::/root:/bin/sh\nbad line\nalice:x:1000:1000::/home/a:/bin/sh\n')], [[0, 'root'], [1000, 'alice']]);
  });
});

describe('netlink process connector', () => {
  it('builds a listen message and decodes fork, exec and exit', () => {
    assert.equal(subscribeMessage(true).readUInt32LE(36), 1);
    assert.equal(subscribeMessage(false).readUInt32LE(36), 2);
    const message = (what: number, fields: number[]) => {
      const buf = Buffer.alloc(16 + 20 + 16 + 24);
      buf.writeUInt32LE(buf.length, 0);
      buf.writeUInt32LE(what, 36);
      buf.writeBigUInt64LE(123n, 44);
      fields.forEach((v, i) => buf.writeUInt32LE(v, 52 + 4 * i));
      return buf;
    };
    const all = Buffer.concat([message(1, [10, 10, 11, 11]), message(2, [11, 11]), message(0x80000000, [11, 11, 256, 0]), message(0x200, [1, 1])]);
    assert.deepEqual(parseProcConnector(all, all.length), [
      { kind: 'fork', timestampNs: 123n, parentTgid: 10, childPid: 11, childTgid: 11 },
      { kind: 'exec', timestampNs: 123n, pid: 11, tgid: 11 },
      { kind: 'exit', timestampNs: 123n, pid: 11, tgid: 11, exitCode: 256 },
    ]);
  });
  it('stops at a truncated message instead of reading past it', () => {
    const buf = Buffer.alloc(40);
    buf.writeUInt32LE(400, 0);
    assert.deepEqual(parseProcConnector(buf, buf.length), []);
  });
});

describe('inet_diag', () => {
  it('decodes an IPv6 TCP socket record and the end of a dump', () => {
    const record = Buffer.alloc(16 + 72);
    record.writeUInt32LE(record.length, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt8(10, 16); // AF_INET6
    record.writeUInt8(1, 17); // ESTABLISHED
    record.writeUInt16BE(40000, 20);
    record.writeUInt16BE(443, 22);
    record.writeUInt8(1, 16 + 8 + 15); // ::1
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(record, 16 + 24);
    record.writeUInt32LE(1000, 16 + 64);
    record.writeUInt32LE(777, 16 + 68);
    const done = Buffer.alloc(20);
    done.writeUInt32LE(20, 0);
    done.writeUInt16LE(3, 4);
    const both = Buffer.concat([record, done]);
    const parsed = parseDiag(both, both.length, 'tcp');
    assert.equal(parsed.done, true);
    assert.deepEqual(parsed.rows, [{
      id: 'tcp:::1:40000-2001:db8::1:443', protocol: 'tcp', ipv6: true, state: 1, localIp: '::1', localPort: 40000,
      remoteIp: '2001:db8::1', remotePort: 443, uid: 1000, inode: 777,
    }]);
    assert.equal(dumpRequest(2, 6, 1).length, 72);
  });
  it('formats IPv6 addresses in RFC 5952 form', () => {
    assert.equal(formatIpv6(Buffer.alloc(16)), '::');
    assert.equal(formatIpv6(Buffer.from('00000000000000000000ffff7f000001', 'hex')), '::ffff:127.0.0.1');
    assert.equal(formatIpv6(Buffer.from('fe800000000000000001000000000001', 'hex')), 'fe80::1:0:0:1');
  });
});

describe('/proc/net', () => {
  it('parses IPv4 and IPv6 rows', () => {
    const tcp = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
      '   0: 0100007F:1F90 0100007F:A2C4 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 20 4 30 10 -1\n';
    const [row] = parseProcNet(tcp, 'tcp', false);
    assert.deepEqual([row!.localIp, row!.localPort, row!.remoteIp, row!.remotePort, row!.state, row!.inode], ['127.0.0.1', 8080, '127.0.0.1', 41668, 1, 4242]);
    const tcp6 = 'header\n   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1\n';
    assert.deepEqual([parseProcNet(tcp6, 'tcp', true)[0]!.localIp, parseProcNet(tcp6, 'tcp', true)[0]!.state], ['::1', 10]);
  });
});

describe('fanotify', () => {
  it('decodes a rename with old and new directory-entry records', () => {
    const info = (type: number, name: string) => {
      const handle = Buffer.alloc(8 + 8);
      handle.writeUInt32LE(8, 0);
      const body = Buffer.concat([Buffer.alloc(4), Buffer.alloc(8, 1), handle, Buffer.from(`${name}\0`)]);
      const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
      padded.writeUInt8(type, 0);
      padded.writeUInt16LE(padded.length, 2);
      return padded;
    };
    const records = Buffer.concat([info(10, 'old.txt'), info(12, 'new.txt')]);
    const meta = Buffer.alloc(24);
    meta.writeUInt32LE(24 + records.length, 0);
    meta.writeUInt8(3, 4);
    meta.writeUInt16LE(24, 6);
    meta.writeBigUInt64LE(0x10000000n, 8);
    meta.writeInt32LE(-1, 16);
    meta.writeInt32LE(4321, 20);
    const event = Buffer.concat([meta, records]);
    const [parsed] = parseFanotify(event, event.length);
    assert.equal(parsed!.pid, 4321);
    assert.deepEqual(parsed!.names.map((n) => [n.type, n.name]), [[10, 'old.txt'], [12, 'new.txt']]);
  });
});
