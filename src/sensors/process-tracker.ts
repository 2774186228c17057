// The process table behind process events: who forked whom, what each process runs, and exited
// processes kept for `exitedTtlMs` so a short-lived child's parent still resolves after the parent
// exits. Shared by the proc connector worker and the /proc polling fallback; I/O is injected.
import { processKey, type EventHost, type ProcessCreationEvent, type ProcessTerminationEvent } from '../events/index.ts';
import type { ProcSnapshot } from './linux/procfs.ts';
import type { UserNames } from './linux/users.ts';

export type ProcessEntry = {
  key: string;
  pid: number;
  ppid?: number;
  image?: string;
  cmdline?: string;
  uid?: number;
  exitedAtMs?: number;
};

export type ProcessTrackerOptions = {
  host: EventHost;
  bootId: string;
  users: UserNames;
  read(pid: number): ProcSnapshot;
  exitedTtlMs?: number;
  maxEntries?: number;
};

export type ProcessTracker = {
  /** Learns a running process from /proc without emitting an event. */
  learn(pid: number): ProcessEntry | undefined;
  fork(parentPid: number, childPid: number, startTicks: number): void;
  /** `snapshot` is /proc as read when the exec arrived (read here when not given). */
  exec(pid: number, timeMs: number, snapshot?: ProcSnapshot): ProcessCreationEvent;
  exit(pid: number, timeMs: number, exitCode: number): ProcessTerminationEvent | undefined;
  /** After lost messages: learns every live pid not yet known and reports each as a creation. */
  resync(pids: readonly number[], timeMs: number): ProcessCreationEvent[];
  sweep(timeMs: number): void;
  lookup(pid: number): ProcessEntry | undefined;
  size(): number;
  evicted(): number;
};

const ticksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat starttime on every Linux ABI

export function createProcessTracker(options: ProcessTrackerOptions): ProcessTracker {
  const exitedTtlMs = options.exitedTtlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 65_536;
  const table = new Map<number, ProcessEntry>();
  const exitedQueue: ProcessEntry[] = [];
  let evicted = 0;
  const keyOf = (pid: number, startTicks: number) => processKey({ bootId: options.bootId, pid, startTicks });

  const learn = (pid: number): ProcessEntry | undefined => {
    const snap = options.read(pid);
    if (snap.startTicks === undefined) return undefined;
    const entry: ProcessEntry = { key: keyOf(pid, snap.startTicks), pid, ...fromSnapshot(snap) };
    table.set(pid, entry);
    return entry;
  };

  const creation = (pid: number, timeMs: number, snap: ProcSnapshot, entry: ProcessEntry): ProcessCreationEvent => {
    const missing: string[] = [];
    // The parent seen at fork wins over /proc's, which names init once an orphan is reparented.
    const parentPid = entry.ppid ?? snap.ppid;
    const parent = parentPid === undefined ? undefined : (table.get(parentPid) ?? learn(parentPid));
    const user = options.users(snap.uid ?? entry.uid);
    const event: ProcessCreationEvent = {
      kind: 'process_creation',
      '@timestamp': new Date(timeMs).toISOString(),
      host: options.host,
      missing,
      ProcessGuid: entry.key,
      ProcessId: pid,
    };
    setOrMiss(event, missing, 'Image', snap.image);
    setOrMiss(event, missing, 'CommandLine', snap.cmdline);
    setOrMiss(event, missing, 'CurrentDirectory', snap.cwd);
    setOrMiss(event, missing, 'User', user);
    setOrMiss(event, missing, 'ParentProcessId', parentPid);
    setOrMiss(event, missing, 'ParentProcessGuid', parent?.key);
    setOrMiss(event, missing, 'ParentImage', parent?.image);
    setOrMiss(event, missing, 'ParentCommandLine', parent?.cmdline);
    setOrMiss(event, missing, 'ParentUser', options.users(parent?.uid));
    return event;
  };

  const evict = (entry: ProcessEntry) => {
    if (table.get(entry.pid) === entry) {
      table.delete(entry.pid);
      evicted += 1;
    }
  };

  return {
    learn,
    fork(parentPid, childPid, startTicks) {
      const parent = table.get(parentPid) ?? learn(parentPid);
      // A forked child runs its parent's image until it execs.
      table.set(childPid, {
        key: keyOf(childPid, startTicks), pid: childPid, ppid: parentPid,
        ...(parent?.image === undefined ? {} : { image: parent.image }),
        ...(parent?.cmdline === undefined ? {} : { cmdline: parent.cmdline }),
        ...(parent?.uid === undefined ? {} : { uid: parent.uid }),
      });
      if (table.size > maxEntries) {
        const oldest = exitedQueue.shift();
        if (oldest) evict(oldest);
      }
    },
    exec(pid, timeMs, snapshot) {
      const snap = snapshot ?? options.read(pid);
      let entry = table.get(pid);
      if (snap.startTicks !== undefined && (!entry || entry.key !== keyOf(pid, snap.startTicks))) {
        // The fork-time key is an estimate from the event clock; /proc's start time is authoritative.
        entry = { ...entry, pid, key: keyOf(pid, snap.startTicks) };
      }
      entry ??= { pid, key: keyOf(pid, Math.floor((timeMs / 1000) * ticksPerSecond)) };
      // What exec replaced is gone: a field /proc could not give is unknown, not the parent's.
      entry.image = snap.image;
      entry.cmdline = snap.cmdline;
      if (snap.uid !== undefined) entry.uid = snap.uid;
      entry.ppid ??= snap.ppid;
      table.set(pid, entry);
      return creation(pid, timeMs, snap, entry);
    },
    exit(pid, timeMs, exitCode) {
      const entry = table.get(pid);
      if (!entry) return undefined;
      entry.exitedAtMs = timeMs;
      exitedQueue.push(entry);
      const missing: string[] = [];
      const event: ProcessTerminationEvent = {
        kind: 'process_termination', '@timestamp': new Date(timeMs).toISOString(), host: options.host, missing,
        ProcessGuid: entry.key, ProcessId: pid, ExitCode: exitCode >> 8,
      };
      setOrMiss(event, missing, 'Image', entry.image);
      setOrMiss(event, missing, 'User', options.users(entry.uid));
      return event;
    },
    resync(pids, timeMs) {
      const events: ProcessCreationEvent[] = [];
      for (const pid of pids) {
        const known = table.get(pid);
        if (known && known.exitedAtMs === undefined) continue;
        const entry = learn(pid);
        if (entry) events.push(creation(pid, timeMs, options.read(pid), entry));
      }
      return events;
    },
    sweep(timeMs) {
      while (exitedQueue.length > 0 && timeMs - exitedQueue[0]!.exitedAtMs! > exitedTtlMs) {
        evict(exitedQueue.shift()!);
      }
    },
    lookup: (pid) => table.get(pid),
    size: () => table.size,
    evicted: () => evicted,
  };
}

function fromSnapshot(snap: ProcSnapshot): Omit<ProcessEntry, 'key' | 'pid'> {
  return {
    ...(snap.ppid === undefined ? {} : { ppid: snap.ppid }),
    ...(snap.image === undefined ? {} : { image: snap.image }),
    ...(snap.cmdline === undefined ? {} : { cmdline: snap.cmdline }),
    ...(snap.uid === undefined ? {} : { uid: snap.uid }),
  };
}

function setOrMiss<T extends object>(event: T, missing: string[], field: string, value: string | number | undefined): void {
  if (value === undefined || value === '') missing.push(field);
  else (event as Record<string, unknown>)[field] = value;
}
