// Reader in the poll worker: lists the host's TCP/UDP sockets (IPv4 and IPv6) every `intervalMs` through
// sock_diag, or /proc/net as the fallback, and listens for destroyed sockets so a connection that
// opens and closes between two listings is still reported. Between listings it waits in the worker's poll().
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { SensorEvent } from '../../events/index.ts';
import { createConnectionTracker } from '../connection-tracker.ts';
import { parseProcNet } from '../fallback/proc-net.ts';
import { tcpState, type SocketRow } from '../socket-row.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, destroyGroups, dumpRequest, parseDiag } from './inet-diag.ts';
import { errnos, type Libc } from './libc.ts';
import { createProcessInfoReader } from './process-info.ts';
import { netlink } from './proc-connector.ts';
import { listPids, readBootId, socketInodes } from './procfs.ts';
import { createUserNames } from './users.ts';

export type NetworkWorkerOptions = { source: 'inet-diag' | 'proc-net'; intervalMs: number; hostName?: string };

export const createNetworkReader: ReaderFactory<NetworkWorkerOptions> = ({ options: opts, libc: c, stats, post }) => {
  const buf = Buffer.alloc(256 * 1024);
  let dumpFd = -1;
  const destroyFds: { fd: number; protocol: 'tcp' | 'udp' }[] = [];
  if (opts.source === 'inet-diag') {
    dumpFd = c.socket(netlink.AF_NETLINK, netlink.SOCK_DGRAM | netlink.SOCK_CLOEXEC, netlink.NETLINK_SOCK_DIAG);
    if (dumpFd < 0) return { ok: false, reason: `socket(NETLINK_SOCK_DIAG) failed (errno ${c.errno()})` };
    if (listDiag(c, dumpFd, buf, allSockets) === undefined) {
      const reason = `inet_diag dump failed (errno ${c.errno()})`;
      c.close(dumpFd);
      return { ok: false, reason };
    }
    for (const protocol of ['tcp', 'udp'] as const) {
      const fd = c.socket(netlink.AF_NETLINK, netlink.SOCK_DGRAM | netlink.SOCK_CLOEXEC, netlink.NETLINK_SOCK_DIAG);
      const addr = Buffer.alloc(12);
      addr.writeUInt16LE(netlink.AF_NETLINK, 0);
      addr.writeUInt32LE(destroyGroups[protocol], 8);
      if (fd >= 0 && c.bind(fd, addr, 12) === 0) destroyFds.push({ fd, protocol });
      else if (fd >= 0) c.close(fd);
    }
  }
  const bootId = readBootId();
  const host = { name: opts.hostName ?? hostname(), bootId };
  const users = createUserNames();
  const list = () => (opts.source === 'inet-diag' ? listDiag(c, dumpFd, buf, allSockets) : listProcNet(allFiles));
  const listListeners = () =>
    (opts.source === 'inet-diag' ? listDiag(c, dumpFd, buf, tcpListeners) : listProcNet(tcpFiles))?.filter((r) => r.state === tcpState.LISTEN);
  const tracker = createConnectionTracker({
    host, ownPid: process.pid, users, processInfo: createProcessInfoReader({ bootId, users }), scanSocketOwners, listListeners,
  });
  tracker.update(list() ?? [], Date.now()); // connections open before start are the baseline, not news
  const misses = destroyFds.length === 2 || opts.source === 'proc-net' ? [] : ['connections shorter than the listing interval'];
  let nextList = Date.now() + opts.intervalMs;

  return {
    ok: true,
    source: opts.source === 'inet-diag' ? 'sock-diag' : 'proc-net',
    misses,
    reader: {
      fds: () => destroyFds.map((d) => d.fd),
      readable(index, now) {
        const destroy = destroyFds[index]!;
        const batch: SensorEvent[] = [];
        for (;;) {
          const n = c.recv(destroy.fd, buf, buf.length, netlink.MSG_DONTWAIT);
          if (n <= 0) {
            if (n < 0 && c.errno() === errnos.ENOBUFS) stats.drops += 1;
            break;
          }
          batch.push(...tracker.destroyed(parseDiag(buf, n, destroy.protocol).rows, now));
        }
        post(batch);
      },
      due: () => nextList,
      tick() {
        const rows = list();
        if (rows === undefined) stats.errors += 1;
        else post(tracker.update(rows, Date.now()));
        nextList = Date.now() + opts.intervalMs;
      },
      refreshStats() {
        stats.counters['owner_rescans'] = tracker.rescans();
      },
      close() {
        if (dumpFd >= 0) c.close(dumpFd);
        destroyFds.forEach((d) => c.close(d.fd));
      },
    },
  };
};

type DiagQuery = readonly (readonly [family: number, protocol: number, name: 'tcp' | 'udp', states: number])[];
const allSockets: DiagQuery = [
  [AF_INET, IPPROTO_TCP, 'tcp', 0xffffffff], [AF_INET6, IPPROTO_TCP, 'tcp', 0xffffffff],
  [AF_INET, IPPROTO_UDP, 'udp', 0xffffffff], [AF_INET6, IPPROTO_UDP, 'udp', 0xffffffff],
];
const tcpListeners: DiagQuery = [[AF_INET, IPPROTO_TCP, 'tcp', 1 << tcpState.LISTEN], [AF_INET6, IPPROTO_TCP, 'tcp', 1 << tcpState.LISTEN]];
type ProcNetFiles = readonly (readonly [file: string, protocol: 'tcp' | 'udp', ipv6: boolean])[];
const allFiles: ProcNetFiles = [['tcp', 'tcp', false], ['tcp6', 'tcp', true], ['udp', 'udp', false], ['udp6', 'udp', true]];
const tcpFiles: ProcNetFiles = [['tcp', 'tcp', false], ['tcp6', 'tcp', true]];

function listDiag(c: Libc, fd: number, buf: Buffer, query: DiagQuery): SocketRow[] | undefined {
  const rows: SocketRow[] = [];
  let seq = 1;
  for (const [family, protocol, name, states] of query) {
    const request = dumpRequest(family, protocol, seq++, states);
    if (c.send(fd, request, request.length, 0) < 0) return undefined;
    for (;;) {
      const n = c.recv(fd, buf, buf.length, 0);
      if (n < 0) {
        if (c.errno() === errnos.EINTR) continue;
        return undefined;
      }
      const part = parseDiag(buf, n, name);
      rows.push(...part.rows);
      if (part.error) return undefined;
      if (part.done) break;
    }
  }
  return rows;
}

function listProcNet(files: ProcNetFiles): SocketRow[] | undefined {
  const rows: SocketRow[] = [];
  for (const [file, protocol, ipv6] of files) {
    try {
      rows.push(...parseProcNet(readFileSync(`/proc/net/${file}`, 'latin1'), protocol, ipv6));
    } catch {
      // A kernel without IPv6 has no tcp6/udp6; the others still count.
    }
  }
  return rows;
}

function scanSocketOwners(): Map<number, number> {
  const owners = new Map<number, number>();
  for (const pid of listPids()) {
    for (const inode of socketInodes(pid)) if (!owners.has(inode)) owners.set(inode, pid);
  }
  return owners;
}
