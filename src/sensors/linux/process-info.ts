// Who did it: pid → image, user and process key from /proc, cached briefly because one process
// often writes many files or opens many sockets in a row.
import { processKey } from '../../events/index.ts';
import { readFileSync, readlinkSync } from 'node:fs';
import { parseStat } from './procfs.ts';
import type { UserNames } from './users.ts';

export type ProcessInfo = { ProcessId: number; ProcessGuid?: string; Image?: string; User?: string };
export type ProcessInfoReader = (pid: number) => { info: ProcessInfo; missing: string[] };

export function createProcessInfoReader(options: { bootId: string; users: UserNames; ttlMs?: number; now?: () => number }): ProcessInfoReader {
  const ttlMs = options.ttlMs ?? 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<number, { at: number; info: ProcessInfo; missing: string[] }>();
  return (pid) => {
    const t = now();
    const hit = cache.get(pid);
    if (hit && t - hit.at < ttlMs) return hit;
    if (cache.size > 4096) cache.clear();
    const info: ProcessInfo = { ProcessId: pid };
    const missing: string[] = [];
    const stat = tryRun(() => parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1')));
    if (stat?.startTicks !== undefined) info.ProcessGuid = processKey({ bootId: options.bootId, pid, startTicks: stat.startTicks });
    else missing.push('ProcessGuid');
    const image = tryRun(() => readlinkSync(`/proc/${pid}/exe`));
    if (image !== undefined) info.Image = image.replace(/ \(deleted\)$/, '');
    else missing.push('Image');
    const uid = tryRun(() => /\nUid:\s+\d+\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1]);
    const user = options.users(uid === undefined ? undefined : Number(uid));
    if (user !== undefined) info.User = user;
    else missing.push('User');
    const entry = { at: t, info, missing };
    // A process that is already gone is not cached: its pid may be reused at once.
    if (missing.length === 0) cache.set(pid, entry);
    return entry;
  };
}

function tryRun<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
