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
  /**
   * Lists the TCP listeners now. A listing passes the listeners before the connections, so a server
   * that started listening meanwhile is missing from it although its accepted connections are there:
   * asked (once per listing) when a new connection's local port is no listener of its listing.
   */
  listListeners(): readonly SocketRow[] | undefined;
  /** How long a connection still waiting in a listener's accept queue (no socket inode yet) is held back for its process (default 5 s). */
  acceptHoldMs?: number;
};

export type ConnectionTracker = {
  /** A complete listing of the host's sockets; returns the connections not seen before. */
  update(rows: readonly SocketRow[], timeMs: number): NetworkConnectionEvent[];
  /** Sockets the kernel reports destroyed; returns those that lived and died between two listings. */
  destroyed(rows: readonly SocketRow[], timeMs: number): NetworkConnectionEvent[];
  rescans(): number;
};

export function createConnectionTracker(options: ConnectionTrackerOptions): ConnectionTracker {
  // id → the number of the last listing that had it. A listing is read in parts while sockets come and
  // go (/proc/net a page at a time, sock_diag a hash bucket range per message) and can skip a live
  // socket: forgotten only when two listings in a row lack it, so a skip does not report it again.
  const seen = new Map<string, number>();
  let listing = 0;
  let listening = new Set<string>();
  let relisted = false;
  // Accepted by the kernel but not yet by the server: no socket inode, so no process yet.
  let awaitingAccept = new Map<string, number>();
  const acceptHoldMs = options.acceptHoldMs ?? 5000;
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

  const listenerKey = (row: SocketRow) => `${row.ipv6}:${row.localPort}`;
  const isInbound = (row: SocketRow): boolean => {
    if (row.protocol !== 'tcp') return false;
    if (row.state === tcpState.SYN_RECV || listening.has(listenerKey(row))) return true;
    if (relisted) return false;
    relisted = true;
    for (const r of options.listListeners() ?? []) if (r.protocol === 'tcp' && r.state === tcpState.LISTEN) listening.add(listenerKey(r));
    return listening.has(listenerKey(row));
  };

  const toEvent = (row: SocketRow, timeMs: number, pid: number | undefined): NetworkConnectionEvent => {
    const missing: string[] = [];
    const inbound = isInbound(row);
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
      listening = new Set(rows.filter((r) => r.protocol === 'tcp' && r.state === tcpState.LISTEN).map(listenerKey));
      relisted = false;
      listing += 1;
      const waiting = new Map<string, number>();
      const events: NetworkConnectionEvent[] = [];
      for (const row of rows) {
        if (!isConnection(row)) continue;
        if (row.protocol === 'tcp' && row.inode === 0 && (row.state === tcpState.ESTABLISHED || row.state === tcpState.SYN_RECV)) {
          const since = awaitingAccept.get(row.id) ?? timeMs;
          if (timeMs - since < acceptHoldMs) {
            // Not `seen` yet: the next listing reports it with the process that accepted it.
            waiting.set(row.id, since);
            continue;
          }
        }
        const known = seen.has(row.id);
        seen.set(row.id, listing);
        if (known) continue;
        const pid = ownerOf(row.inode);
        if (pid === options.ownPid) continue;
        events.push(toEvent(row, timeMs, pid));
      }
      for (const [id, at] of seen) if (at < listing - 1) seen.delete(id);
      awaitingAccept = waiting;
      // Forget owners of sockets that are gone, so the map stays as small as the socket table.
      if (owners.size > 4 * Math.max(64, rows.length)) owners = new Map();
      return events;
    },
    destroyed(rows, timeMs) {
      const events: NetworkConnectionEvent[] = [];
      for (const row of rows) {
        // A destroyed socket is already in CLOSE state; any socket that had a peer was a connection.
        awaitingAccept.delete(row.id);
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
