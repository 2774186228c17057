// Turns socket lists into network_connection events: a connection is reported once, when it is first
// seen; the owning process comes from socket inode → pid (/proc/<pid>/fd). I/O is injected.
import { sigmaBool, type EventHost, type NetworkConnectionEvent } from '../events/index.ts';
import type { ProcessInfoReader } from './linux/process-info.ts';
import { isConnection, tcpState, type SocketRow } from './socket-row.ts';

export type ConnectionTrackerOptions = {
  host: EventHost;
  ownPid: number;
  /** Full inode → pid map of every socket on the host (rescanned only when an unknown inode shows up). */
  scanSocketOwners(): Map<number, number>;
  processInfo: ProcessInfoReader;
  users(uid: number): string | undefined;
};

export type ConnectionTracker = {
  /** A complete listing of the host's sockets; returns the connections not seen before. */
  update(rows: readonly SocketRow[], timeMs: number): NetworkConnectionEvent[];
  /** Sockets the kernel reports destroyed; returns those that lived and died between two listings. */
  destroyed(rows: readonly SocketRow[], timeMs: number): NetworkConnectionEvent[];
  rescans(): number;
};

export function createConnectionTracker(options: ConnectionTrackerOptions): ConnectionTracker {
  let seen = new Set<string>();
  let listening = new Set<string>();
  let owners = new Map<number, number>();
  let rescans = 0;

  const ownerOf = (inode: number): number | undefined => {
    if (inode === 0) return undefined;
    if (!owners.has(inode)) {
      owners = options.scanSocketOwners();
      rescans += 1;
    }
    return owners.get(inode);
  };

  const toEvent = (row: SocketRow, timeMs: number, pid: number | undefined): NetworkConnectionEvent => {
    const missing: string[] = [];
    const inbound = row.protocol === 'tcp' && (listening.has(`${row.ipv6}:${row.localPort}`) || row.state === tcpState.SYN_RECV);
    const event: NetworkConnectionEvent = {
      kind: 'network_connection', '@timestamp': new Date(timeMs).toISOString(), host: options.host, missing,
      Protocol: row.protocol, Initiated: sigmaBool(!inbound),
      SourceIp: row.localIp, SourcePort: row.localPort, SourceIsIpv6: sigmaBool(row.ipv6),
      DestinationIp: row.remoteIp, DestinationPort: row.remotePort, DestinationIsIpv6: sigmaBool(row.ipv6),
    };
    if (pid === undefined) {
      missing.push('ProcessId', 'ProcessGuid', 'Image');
      const user = options.users(row.uid);
      if (user !== undefined) event.User = user;
      else missing.push('User');
      return event;
    }
    const who = options.processInfo(pid);
    missing.push(...who.missing);
    return { ...event, ...who.info };
  };

  return {
    update(rows, timeMs) {
      listening = new Set(rows.filter((r) => r.protocol === 'tcp' && r.state === tcpState.LISTEN).map((r) => `${r.ipv6}:${r.localPort}`));
      const next = new Set<string>();
      const events: NetworkConnectionEvent[] = [];
      for (const row of rows) {
        if (!isConnection(row)) continue;
        next.add(row.id);
        if (seen.has(row.id)) continue;
        const pid = ownerOf(row.inode);
        if (pid === options.ownPid) continue;
        events.push(toEvent(row, timeMs, pid));
      }
      seen = next;
      // Forget owners of sockets that are gone, so the map stays as small as the socket table.
      if (owners.size > 4 * Math.max(64, rows.length)) owners = new Map();
      return events;
    },
    destroyed(rows, timeMs) {
      const events: NetworkConnectionEvent[] = [];
      for (const row of rows) {
        // A destroyed socket is already in CLOSE state; any socket that had a peer was a connection.
        if (seen.delete(row.id) || row.remotePort === 0 || row.state === tcpState.LISTEN) continue;
        const pid = row.inode === 0 ? undefined : owners.get(row.inode);
        if (pid === options.ownPid) continue;
        events.push(toEvent(row, timeMs, pid));
      }
      return events;
    },
    rescans: () => rescans,
  };
}
