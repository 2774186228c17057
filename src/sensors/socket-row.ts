// One socket as the network sensor sees it, whichever interface listed it (inet_diag or /proc/net).

export type SocketRow = {
  /**
   * The protocol and both endpoints: unique among live sockets and the same in a listing and in a
   * destroy notification (the kernel's socket cookie is not: a closing TCP socket changes objects).
   */
  id: string;
  protocol: 'tcp' | 'udp';
  ipv6: boolean;
  state: number;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  uid: number;
  inode: number;
};

export const tcpState = { ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, TIME_WAIT: 6, CLOSE: 7, LISTEN: 10 } as const;

/** Is this socket a connection worth an event (not a listener, not an unconnected UDP socket)? */
export function isConnection(row: SocketRow): boolean {
  if (row.remotePort === 0) return false;
  if (row.protocol === 'udp') return true;
  return row.state !== tcpState.LISTEN && row.state !== tcpState.CLOSE && row.state !== tcpState.TIME_WAIT;
}

export function formatIpv4(bytes: Buffer): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** RFC 5952 text form (zero runs compressed); IPv4-mapped addresses keep the ::ffff:a.b.c.d form. */
export function formatIpv6(bytes: Buffer): string {
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${formatIpv4(bytes.subarray(12, 16))}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function socketId(protocol: string, localIp: string, localPort: number, remoteIp: string, remotePort: number): string {
  return `${protocol}:${localIp}:${localPort}-${remoteIp}:${remotePort}`;
}
