// Reader in the poll worker: the kernel audit records of the multicast group AUDIT_NLGRP_READLOG.
// Read-only by design: it never sets audit rules, never registers as the audit daemon and never
// changes audit settings, so it runs beside auditd (or without it) and sees what the rules others set
// produce. Exec records (SYSCALL execve + EXECVE + CWD, grouped by serial) become process_creation
// events; the argv comes from the kernel at exec time, so it is complete even when the process is gone
// before /proc can be read. Its status request (AUDIT_GET, as `auditctl -s`) only reads.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processKey, type ProcessCreationEvent, type SensorEvent } from '../../events/index.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { auditTypes, createAuditAssembler, parseAuditMessage, type AuditExec } from './audit-records.ts';
import { errnos, pollReadable, type Libc } from './libc.ts';
import { createProcessInfoReader } from './process-info.ts';
import { netlink } from './proc-connector.ts';
import { readBootId } from './procfs.ts';
import { createUserNames } from './users.ts';

/** `disabledIsMiss`: audit off means this sensor sees nothing (events mode), not just less (supplement). */
export type AuditReaderOptions = { hostName?: string; bufferBytes: number; disabledIsMiss: boolean };

const AUDIT_NLGRP_READLOG = 1;
const SOCK_RAW = 3;
const NLM_F_REQUEST = 1;
const statusEveryMs = 10_000;
const maxEventAgeMs = 1000;

export const createAuditReader: ReaderFactory<AuditReaderOptions> = ({ options: opts, libc: c, stats, post }) => {
  const fd = c.socket(netlink.AF_NETLINK, SOCK_RAW | netlink.SOCK_CLOEXEC, netlink.NETLINK_AUDIT);
  if (fd < 0) return { ok: false, reason: `socket(NETLINK_AUDIT) failed (errno ${c.errno()})` };
  const value = Buffer.alloc(4);
  value.writeInt32LE(opts.bufferBytes);
  if (c.setsockopt(fd, netlink.SOL_SOCKET, netlink.SO_RCVBUFFORCE, value, 4) < 0) c.setsockopt(fd, netlink.SOL_SOCKET, netlink.SO_RCVBUF, value, 4);
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(netlink.AF_NETLINK, 0);
  addr.writeUInt32LE(1 << (AUDIT_NLGRP_READLOG - 1), 8);
  if (c.bind(fd, addr, 12) < 0) {
    const errno = c.errno();
    c.close(fd);
    const why = errno === errnos.EPERM ? ' (needs CAP_AUDIT_READ)' : '';
    return { ok: false, reason: `bind to the audit multicast group failed (errno ${errno})${why}` };
  }
  const bootId = readBootId();
  const host = { name: opts.hostName ?? hostname(), bootId };
  const users = createUserNames();
  const processes = createProcessInfoReader({ bootId, users });
  const assembler = createAuditAssembler();
  const buf = Buffer.alloc(64 * 1024);
  const count = (name: string, n = 1) => void (stats.counters[name] = (stats.counters[name] ?? 0) + n);
  let seq = 1;
  let nextStatus = 0;
  let nextFlush = Date.now() + 250;

  const requestStatus = () => {
    const request = Buffer.alloc(16);
    request.writeUInt32LE(16, 0);
    request.writeUInt16LE(auditTypes.GET, 4);
    request.writeUInt16LE(NLM_F_REQUEST, 6);
    request.writeUInt32LE(seq++, 8);
    if (c.send(fd, request, 16, 0) < 0) count('status_errors');
    nextStatus = Date.now() + statusEveryMs;
  };

  /** Reads what is queued; returns the batch of events and whether a status reply came. */
  const drain = (limit: number): { batch: SensorEvent[]; status: boolean } => {
    const batch: SensorEvent[] = [];
    let status = false;
    for (let i = 0; i < limit; i += 1) {
      const n = c.recv(fd, buf, buf.length, netlink.MSG_DONTWAIT);
      if (n < 0) {
        const errno = c.errno();
        if (errno === errnos.ENOBUFS) {
          // The socket buffer overran: the kernel dropped records for this reader (how many is unknown).
          stats.drops += 1;
          count('enobufs');
          continue;
        }
        if (errno !== errnos.EAGAIN && errno !== errnos.EINTR) stats.errors += 1;
        break;
      }
      const type = n >= 16 ? buf.readUInt16LE(4) : 0;
      if (type === auditTypes.GET && n >= 16 + 28) {
        status = true;
        stats.counters['audit_enabled'] = buf.readUInt32LE(16 + 4);
        stats.counters['auditd_pid'] = buf.readUInt32LE(16 + 12);
        stats.counters['kernel_lost'] = buf.readUInt32LE(16 + 24);
        continue;
      }
      if (type === netlink.NLMSG_ERROR || type === netlink.NLMSG_DONE || type === netlink.NLMSG_NOOP) continue;
      const record = parseAuditMessage(buf, n);
      if (!record) {
        stats.errors += 1;
        continue;
      }
      count('records');
      for (const exec of assembler.add(record, Date.now())) batch.push(toEvent(exec));
    }
    return { batch, status };
  };

  const toEvent = (exec: AuditExec): ProcessCreationEvent => {
    count('execs');
    const self = processes(exec.pid);
    const missing: string[] = [];
    const user = users(exec.uid);
    const event: ProcessCreationEvent = {
      kind: 'process_creation', '@timestamp': new Date(exec.timeMs).toISOString(), host, missing,
      ProcessGuid: self.info.ProcessGuid ?? processKey({ bootId, pid: exec.pid, startTicks: 0 }), ProcessId: exec.pid,
      ...(exec.exe === undefined ? {} : { Image: exec.exe }),
      ...(exec.args === undefined ? {} : { CommandLine: exec.args.join(' ') }),
      ...(exec.cwd === undefined ? {} : { CurrentDirectory: exec.cwd }),
      ...(user === undefined ? {} : { User: user }),
      ...(exec.auid === undefined ? {} : { LogonId: exec.auid }),
    };
    if (self.info.ProcessGuid === undefined) missing.push('ProcessGuid');
    for (const field of ['Image', 'CommandLine', 'CurrentDirectory', 'User'] as const) if (event[field] === undefined) missing.push(field);
    if (exec.ppid !== undefined) {
      event.ParentProcessId = exec.ppid;
      const parent = processes(exec.ppid);
      if (parent.info.ProcessGuid !== undefined) event.ParentProcessGuid = parent.info.ProcessGuid;
      if (parent.info.Image !== undefined) event.ParentImage = parent.info.Image;
      if (parent.info.User !== undefined) event.ParentUser = parent.info.User;
      const cmdline = parentCommandLine(exec.ppid);
      if (cmdline !== undefined) event.ParentCommandLine = cmdline;
      else missing.push('ParentCommandLine');
      for (const field of ['ParentProcessGuid', 'ParentImage'] as const) if (event[field] === undefined) missing.push(field);
    } else missing.push('ParentProcessId');
    return event;
  };

  // One status answer before ready, so the status says whether audit produces anything at all.
  requestStatus();
  const startBatch: SensorEvent[] = [];
  for (const deadline = Date.now() + 500; Date.now() < deadline; ) {
    if (pollReadable(c, [fd], Math.max(0, deadline - Date.now())).length === 0) break;
    const { batch, status } = drain(256);
    startBatch.push(...batch);
    if (status) break;
  }
  post(startBatch);
  const misses: string[] = [];
  if (!opts.disabledIsMiss) {
    // Supplement: the process sensor is complete without audit; counters.audit_enabled says whether it helps.
  } else if (stats.counters['audit_enabled'] === 0) misses.push('everything until audit is enabled (auditctl -e 1) with exec rules, e.g. by auditd');
  else if (stats.counters['audit_enabled'] === undefined) misses.push('audit status unknown (AUDIT_GET got no answer)');

  return {
    ok: true,
    source: 'audit-multicast',
    misses,
    reader: {
      fds: () => [fd],
      readable() {
        post(drain(512).batch);
      },
      // Idle (nothing half-assembled), the only timer is the 10 s status request.
      due: () => (assembler.pending() > 0 ? Math.min(nextFlush, nextStatus) : nextStatus),
      tick(now) {
        if (now >= nextFlush) {
          nextFlush = now + 250;
          const late = assembler.flush(now, maxEventAgeMs);
          count('flushed_without_eoe', late.length);
          post(late.map(toEvent));
        }
        if (now >= nextStatus) requestStatus();
      },
      refreshStats() {
        stats.counters['pending_events'] = assembler.pending();
      },
      close: () => void c.close(fd),
    },
  };
};

function parentCommandLine(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw === '' ? undefined : raw.replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return undefined;
  }
}
