// Wire format of the netlink process connector (linux/connector.h, linux/cn_proc.h): the subscribe
// message and the fork / exec / exit events. Pure encode/decode, no I/O.

export const netlink = {
  AF_NETLINK: 16,
  SOCK_DGRAM: 2,
  SOCK_CLOEXEC: 0x80000,
  NETLINK_CONNECTOR: 11,
  NETLINK_SOCK_DIAG: 4,
  NETLINK_AUDIT: 9,
  SOL_SOCKET: 1,
  SOL_NETLINK: 270,
  SO_RCVBUF: 8,
  SO_RCVBUFFORCE: 33,
  NETLINK_ADD_MEMBERSHIP: 1,
  NLMSG_NOOP: 1,
  NLMSG_ERROR: 2,
  NLMSG_DONE: 3,
  MSG_DONTWAIT: 0x40,
} as const;

const CN_IDX_PROC = 1;
const CN_VAL_PROC = 1;
const nlmsghdrSize = 16;
const cnMsgSize = 20;

export const procEvent = { FORK: 0x1, EXEC: 0x2, EXIT: 0x80000000 } as const;

export type ProcConnectorEvent =
  | { kind: 'fork'; timestampNs: bigint; parentTgid: number; childPid: number; childTgid: number }
  | { kind: 'exec'; timestampNs: bigint; pid: number; tgid: number }
  | { kind: 'exit'; timestampNs: bigint; pid: number; tgid: number; exitCode: number };

/** sockaddr_nl bound to the proc connector's multicast group. */
export function procConnectorAddress(): Buffer {
  const addr = Buffer.alloc(12);
  addr.writeUInt16LE(netlink.AF_NETLINK, 0);
  addr.writeUInt32LE(0, 4);
  addr.writeUInt32LE(CN_IDX_PROC, 8);
  return addr;
}

/**
 * PROC_CN_MCAST_LISTEN (1) or _IGNORE (2). Kernels since 6.6 read an optional event mask after the
 * op and then send only those events; older kernels ignore it and the parser skips the rest.
 */
export function subscribeMessage(listen: boolean): Buffer {
  const payload = 8;
  const msg = Buffer.alloc(nlmsghdrSize + cnMsgSize + payload);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(netlink.NLMSG_DONE, 4);
  msg.writeUInt32LE(process.pid, 12);
  msg.writeUInt32LE(CN_IDX_PROC, 16);
  msg.writeUInt32LE(CN_VAL_PROC, 20);
  msg.writeUInt16LE(payload, 32);
  msg.writeUInt32LE(listen ? 1 : 2, 36);
  msg.writeUInt32LE((procEvent.FORK | procEvent.EXEC | procEvent.EXIT) >>> 0, 40);
  return msg;
}

/** Decodes every proc event in one datagram; unknown event types are skipped. */
export function parseProcConnector(buf: Buffer, length: number): ProcConnectorEvent[] {
  const events: ProcConnectorEvent[] = [];
  let offset = 0;
  while (offset + nlmsghdrSize <= length) {
    const len = buf.readUInt32LE(offset);
    if (len < nlmsghdrSize || offset + len > length) break;
    const data = offset + nlmsghdrSize + cnMsgSize;
    if (len >= nlmsghdrSize + cnMsgSize + 16) {
      const what = buf.readUInt32LE(data);
      const timestampNs = buf.readBigUInt64LE(data + 8);
      const body = data + 16;
      if (what === procEvent.FORK) {
        events.push({
          kind: 'fork', timestampNs, parentTgid: buf.readUInt32LE(body + 4),
          childPid: buf.readUInt32LE(body + 8), childTgid: buf.readUInt32LE(body + 12),
        });
      } else if (what === procEvent.EXEC) {
        events.push({ kind: 'exec', timestampNs, pid: buf.readUInt32LE(body), tgid: buf.readUInt32LE(body + 4) });
      } else if (what === procEvent.EXIT) {
        events.push({
          kind: 'exit', timestampNs, pid: buf.readUInt32LE(body), tgid: buf.readUInt32LE(body + 4),
          exitCode: buf.readUInt32LE(body + 8),
        });
      }
    }
    offset += (len + 3) & ~3;
  }
  return events;
}
