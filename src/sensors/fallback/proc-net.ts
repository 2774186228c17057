// Parses /proc/net/{tcp,tcp6,udp,udp6}: the fallback socket list when sock_diag is unavailable.
import { formatIpv4, formatIpv6, socketId, type SocketRow } from '../socket-row.ts';

export function parseProcNet(text: string, protocol: 'tcp' | 'udp', ipv6: boolean): SocketRow[] {
  const rows: SocketRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [localIp, localPort] = parseEndpoint(cols[1]!, ipv6);
    const [remoteIp, remotePort] = parseEndpoint(cols[2]!, ipv6);
    const inode = Number(cols[9]);
    rows.push({
      id: socketId(protocol, localIp, localPort, remoteIp, remotePort),
      protocol, ipv6, state: parseInt(cols[3]!, 16), localIp, localPort, remoteIp, remotePort,
      uid: Number(cols[7]), inode,
    });
  }
  return rows;
}

/** "0100007F:1F90": the address is in host byte order per 32-bit word, the port is big-endian hex. */
function parseEndpoint(text: string, ipv6: boolean): [string, number] {
  const [addrHex = '', portHex = '0'] = text.split(':');
  const bytes = Buffer.alloc(ipv6 ? 16 : 4);
  for (let word = 0; word < bytes.length / 4; word += 1) {
    bytes.writeUInt32LE(parseInt(addrHex.slice(word * 8, word * 8 + 8), 16) >>> 0, word * 4);
  }
  return [ipv6 ? formatIpv6(bytes) : formatIpv4(bytes), parseInt(portHex, 16)];
}
