// Reads what /proc knows about a process. Every read may fail because the process already exited; a
// failed read becomes a missing field, never an exception.
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';

export type ProcSnapshot = {
  pid: number;
  ppid?: number;
  startTicks?: number;
  image?: string;
  cmdline?: string;
  cwd?: string;
  uid?: number;
  comm?: string;
};

const deletedSuffix = ' (deleted)';

export function readProcess(pid: number, root = '/proc'): ProcSnapshot {
  const dir = `${root}/${pid}`;
  const snapshot: ProcSnapshot = { pid };
  // Order matters: the command line and the image vanish when a short-lived process exits, while
  // stat and status outlive it as a zombie until it is reaped, so they are read last.
  const cmdline = tryRead(`${dir}/cmdline`);
  if (cmdline) snapshot.cmdline = formatCmdline(cmdline);
  const image = tryLink(`${dir}/exe`);
  if (image !== undefined) snapshot.image = image.endsWith(deletedSuffix) ? image.slice(0, -deletedSuffix.length) : image;
  const cwd = tryLink(`${dir}/cwd`);
  if (cwd !== undefined) snapshot.cwd = cwd;
  const stat = tryRead(`${dir}/stat`);
  if (stat !== undefined) Object.assign(snapshot, parseStat(stat));
  const status = tryRead(`${dir}/status`);
  if (status !== undefined) {
    // Uid: real effective saved fs — Sigma's User is who the process acts as, the effective uid.
    const uid = /\nUid:\s+\d+\s+(\d+)/.exec(status);
    if (uid) snapshot.uid = Number(uid[1]);
  }
  return snapshot;
}

/** Parses /proc/<pid>/stat; the comm field may contain spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): { comm?: string; ppid?: number; startTicks?: number } {
  const close = text.lastIndexOf(')');
  if (close < 0) return {};
  const comm = text.slice(text.indexOf('(') + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  return {
    comm,
    ...(Number.isFinite(ppid) ? { ppid } : {}),
    ...(Number.isFinite(startTicks) ? { startTicks } : {}),
  };
}

export function formatCmdline(raw: string): string {
  return raw.replace(/\0+$/, '').replaceAll('\0', ' ');
}

export function listPids(root = '/proc'): number[] {
  try {
    return readdirSync(root).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

export function readBootId(root = '/proc'): string {
  return tryRead(`${root}/sys/kernel/random/boot_id`)?.trim() ?? '00000000';
}

/** Socket inodes owned by a process (from /proc/<pid>/fd links "socket:[123]"). */
export function socketInodes(pid: number, root = '/proc'): number[] {
  let fds: string[];
  try {
    fds = readdirSync(`${root}/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    const link = tryLink(`${root}/${pid}/fd/${fd}`);
    if (link?.startsWith('socket:[')) inodes.push(Number(link.slice(8, -1)));
  }
  return inodes;
}

function tryRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function tryLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
