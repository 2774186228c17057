// The kernel audit wire format, as the audit multicast group (AUDIT_NLGRP_READLOG) delivers it: one
// netlink message per record, "audit(<sec>.<ms>:<serial>): key=value …", the records of one event
// sharing a serial and ending with an EOE record. String fields the kernel does not trust (command
// line arguments, exe, comm, cwd, names) are either quoted or hex-encoded; long arguments are split
// into chunks (a1_len=… a1[0]=… a1[1]=…) and many arguments over several EXECVE records.

export const auditTypes = { GET: 1000, SYSCALL: 1300, PATH: 1302, CWD: 1307, EXECVE: 1309, EOE: 1320, PROCTITLE: 1327 } as const;

/** execve and execveat on x86_64 and aarch64 (the audit arch says which table). */
const execSyscalls: Record<string, readonly number[]> = { c000003e: [59, 322], c00000b7: [221, 281] };

export type AuditRecord = { type: number; serial: number; timeMs: number; body: string };

/** One execve as audit saw it. `args` is the complete argv (from EXECVE records). */
export type AuditExec = {
  serial: number;
  timeMs: number;
  pid: number;
  ppid?: number;
  uid?: number;
  auid?: number;
  exe?: string;
  comm?: string;
  cwd?: string;
  args?: string[];
  key?: string;
};

/** Parses one netlink audit message; undefined when it is not an audit record. */
export function parseAuditMessage(buf: Buffer, length: number): AuditRecord | undefined {
  if (length < 16) return undefined;
  const type = buf.readUInt16LE(4);
  const declared = buf.readUInt32LE(0);
  // Some kernels put only the payload length in nlmsg_len; the datagram length is authoritative.
  const end = declared >= 16 && declared <= length ? declared : length;
  let text = buf.toString('latin1', 16, end);
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  return parseAuditText(type, text);
}

export function parseAuditText(type: number, text: string): AuditRecord | undefined {
  const m = /^audit\((\d+)\.(\d{3}):(\d+)\):\s?/.exec(text);
  if (!m) return undefined;
  return { type, serial: Number(m[3]), timeMs: Number(m[1]) * 1000 + Number(m[2]), body: text.slice(m[0].length) };
}

/** key=value fields; a quoted value may contain spaces, an unquoted one ends at a space. */
export function auditFields(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  const pattern = /([\w[\]-]+)=("[^"]*"|\S*)/g;
  for (const [, key, value] of body.matchAll(pattern)) fields.set(key!, value!);
  return fields;
}

/** A string field: quoted as is, unquoted hex decoded; "(null)" and "?" are absent. */
export function auditString(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '(null)' || raw === '?') return undefined;
  if (raw.startsWith('"')) return raw.slice(1, -1);
  if (raw.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

function auditNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  // 4294967295 is audit's "unset" (e.g. auid before login).
  return Number.isInteger(n) && n !== 4294967295 ? n : undefined;
}

type Pending = { firstMs: number; exec?: AuditExec; isExec: boolean; argc?: number; args: string[]; chunks: Map<number, string[]> };

export type AuditAssembler = {
  /** Feeds one record; returns the execs its event completed (at EOE). */
  add(record: AuditRecord, nowMs: number): AuditExec[];
  /** Events without EOE after `maxAgeMs` are completed with what arrived. */
  flush(nowMs: number, maxAgeMs: number): AuditExec[];
  pending(): number;
};

const groupedTypes = new Set<number>([auditTypes.SYSCALL, auditTypes.EXECVE, auditTypes.CWD, auditTypes.PATH, auditTypes.PROCTITLE, auditTypes.EOE]);

export function createAuditAssembler(maxPending = 4096): AuditAssembler {
  const events = new Map<number, Pending>();
  const finish = (serial: number): AuditExec[] => {
    const p = events.get(serial);
    events.delete(serial);
    if (!p?.isExec || !p.exec) return [];
    const args = [...p.args];
    for (const [index, chunks] of p.chunks) args[index] = chunks.join('');
    if (args.length > 0) p.exec.args = Array.from(args, (a) => a ?? '');
    return [p.exec];
  };
  return {
    add(record, nowMs) {
      if (!groupedTypes.has(record.type)) return [];
      if (record.type === auditTypes.EOE) return finish(record.serial);
      let p = events.get(record.serial);
      if (!p) {
        if (events.size >= maxPending) {
          const oldest = events.keys().next().value!;
          events.delete(oldest);
        }
        p = { firstMs: nowMs, isExec: false, args: [], chunks: new Map() };
        events.set(record.serial, p);
      }
      const f = auditFields(record.body);
      switch (record.type) {
        case auditTypes.SYSCALL: {
          const syscall = Number(f.get('syscall'));
          p.isExec = (execSyscalls[f.get('arch') ?? ''] ?? execSyscalls['c000003e']!).includes(syscall) && f.get('success') !== 'no';
          const exe = auditString(f.get('exe'));
          const comm = auditString(f.get('comm'));
          const key = auditString(f.get('key'));
          const ppid = auditNumber(f.get('ppid'));
          const uid = auditNumber(f.get('uid'));
          const auid = auditNumber(f.get('auid'));
          p.exec = {
            serial: record.serial, timeMs: record.timeMs, pid: Number(f.get('pid')), ...(p.exec?.cwd === undefined ? {} : { cwd: p.exec.cwd }),
            ...(ppid === undefined ? {} : { ppid }), ...(uid === undefined ? {} : { uid }), ...(auid === undefined ? {} : { auid }),
            ...(exe === undefined ? {} : { exe }), ...(comm === undefined ? {} : { comm }), ...(key === undefined ? {} : { key }),
          };
          break;
        }
        case auditTypes.EXECVE:
          for (const [name, raw] of f) {
            if (name === 'argc') p.argc = Number(raw);
            const whole = /^a(\d+)$/.exec(name);
            if (whole) p.args[Number(whole[1])] = auditString(raw) ?? '';
            const chunk = /^a(\d+)\[(\d+)\]$/.exec(name);
            if (chunk) {
              const list = p.chunks.get(Number(chunk[1])) ?? [];
              list[Number(chunk[2])] = auditString(raw) ?? '';
              p.chunks.set(Number(chunk[1]), list);
            }
          }
          break;
        case auditTypes.CWD: {
          const cwd = auditString(f.get('cwd'));
          if (cwd !== undefined) {
            if (p.exec) p.exec.cwd = cwd;
            else p.exec = { serial: record.serial, timeMs: record.timeMs, pid: 0, cwd };
          }
          break;
        }
      }
      return [];
    },
    flush(nowMs, maxAgeMs) {
      const done: AuditExec[] = [];
      for (const [serial, p] of events) {
        if (nowMs - p.firstMs < maxAgeMs) break; // insertion order = arrival order
        done.push(...finish(serial));
      }
      return done;
    },
    pending: () => events.size,
  };
}
