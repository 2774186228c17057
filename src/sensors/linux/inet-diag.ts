// sock_diag / inet_diag wire format (linux/inet_diag.h): dump requests and socket records. Pure.
import { formatIpv4, formatIpv6, socketId, type SocketRow } from '../socket-row.ts';
import { netlink } from './proc-connector.ts';

const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** sock_diag multicast group bits for destroyed sockets (SKNLGRP_INET_TCP_DESTROY = 1 ... INET6_UDP_DESTROY = 4). */
export const destroyGroups = { tcp: 0b0101, udp: 0b1010 } as const;

/** `states`: a bit per TCP state (1 << state) to list; every state by default. */
export function dumpRequest(family: number, protocol: number, seq: number, states = 0xffffffff): Buffer {
  const msg = Buffer.alloc(16 + 56);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(SOCK_DIAG_BY_FAMILY, 4);
  msg.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  msg.writeUInt32LE(seq, 8);
  msg.writeUInt8(family, 16);
  msg.writeUInt8(protocol, 17);
  msg.writeUInt32LE(states >>> 0, 20);
  return msg;
}

export type DiagParse = { rows: SocketRow[]; done: boolean; error?: number };

/** Parses one recv() of a dump (or of a destroy notification); `done` once NLMSG_DONE arrives. */
export function parseDiag(buf: Buffer, length: number, protocol: 'tcp' | 'udp'): DiagParse {
  const rows: SocketRow[] = [];
  let offset = 0;
  while (offset + 16 <= length) {
    const len = buf.readUInt32LE(offset);
    const type = buf.readUInt16LE(offset + 4);
    if (len < 16 || offset + len > length) break;
    if (type === netlink.NLMSG_DONE) return { rows, done: true };
    if (type === netlink.NLMSG_ERROR) return { rows, done: true, error: -buf.readInt32LE(offset + 16) };
    if (type === SOCK_DIAG_BY_FAMILY && len >= 16 + 72) rows.push(parseRecord(buf, offset + 16, protocol));
    offset += (len + 3) & ~3;
  }
  return { rows, done: false };
}

function parseRecord(buf: Buffer, at: number, protocol: 'tcp' | 'udp'): SocketRow {
  const family = buf.readUInt8(at);
  const ipv6 = family === AF_INET6;
  const ip = (start: number) => (ipv6 ? formatIpv6(buf.subarray(start, start + 16)) : formatIpv4(buf.subarray(start, start + 4)));
  const localIp = ip(at + 8);
  const localPort = buf.readUInt16BE(at + 4);
  const remoteIp = ip(at + 24);
  const remotePort = buf.readUInt16BE(at + 6);
  return {
    id: socketId(protocol, localIp, localPort, remoteIp, remotePort),
    protocol, ipv6, state: buf.readUInt8(at + 1), localIp, localPort, remoteIp, remotePort,
    uid: buf.readUInt32LE(at + 64),
    inode: buf.readUInt32LE(at + 68),
  };
}
