// fanotify constants (linux/fanotify.h) and the event record parser. Pure, no I/O.

export const fan = {
  CLOEXEC: 0x1,
  NONBLOCK: 0x2,
  CLASS_NOTIF: 0x0,
  CLASS_CONTENT: 0x4,
  REPORT_FID: 0x200,
  REPORT_DIR_FID: 0x400,
  REPORT_NAME: 0x800,
  REPORT_DFID_NAME: 0xc00,
  MARK_ADD: 0x1,
  MARK_REMOVE: 0x2,
  MARK_MOUNT: 0x10,
  MARK_FILESYSTEM: 0x100,
  CLOSE_WRITE: 0x8,
  MOVED_FROM: 0x40,
  MOVED_TO: 0x80,
  CREATE: 0x100,
  DELETE: 0x200,
  DELETE_SELF: 0x400,
  MOVE_SELF: 0x800,
  Q_OVERFLOW: 0x4000,
  OPEN_EXEC_PERM: 0x40000,
  EVENT_ON_CHILD: 0x08000000,
  RENAME: 0x10000000,
  ONDIR: 0x40000000,
  ALLOW: 0x1,
  DENY: 0x2,
  NOFD: -1,
} as const;

export const infoType = { FID: 1, DFID_NAME: 2, DFID: 3, OLD_DFID_NAME: 10, NEW_DFID_NAME: 12 } as const;

export type FanotifyName = {
  type: number;
  /** fsid + file handle, hex: a stable cache key for the directory. */
  dirKey: string;
  fsid: string;
  /** struct file_handle (handle_bytes, handle_type, f_handle) as open_by_handle_at wants it. */
  handle: Buffer;
  name: string;
};

export type FanotifyEvent = { mask: number; fd: number; pid: number; names: FanotifyName[] };

export const metadataSize = 24;

/** Decodes the events in one read() of a fanotify fd. */
export function parseFanotify(buf: Buffer, length: number): FanotifyEvent[] {
  const events: FanotifyEvent[] = [];
  let offset = 0;
  while (offset + metadataSize <= length) {
    const eventLen = buf.readUInt32LE(offset);
    if (eventLen < metadataSize || offset + eventLen > length) break;
    const metadataLen = buf.readUInt16LE(offset + 6);
    const mask = Number(buf.readBigUInt64LE(offset + 8));
    const fd = buf.readInt32LE(offset + 16);
    const pid = buf.readInt32LE(offset + 20);
    const names: FanotifyName[] = [];
    let info = offset + metadataLen;
    while (info + 4 <= offset + eventLen) {
      const type = buf.readUInt8(info);
      const len = buf.readUInt16LE(info + 2);
      if (len < 4 || info + len > offset + eventLen) break;
      if (type === infoType.DFID_NAME || type === infoType.OLD_DFID_NAME || type === infoType.NEW_DFID_NAME) {
        const fsid = buf.subarray(info + 4, info + 12);
        const handleBytes = buf.readUInt32LE(info + 12);
        const handle = Buffer.from(buf.subarray(info + 12, info + 20 + handleBytes));
        const nameStart = info + 20 + handleBytes;
        const nameEnd = buf.indexOf(0, nameStart);
        const name = buf.toString('utf8', nameStart, nameEnd < 0 || nameEnd > info + len ? info + len : nameEnd);
        names.push({ type, dirKey: `${fsid.toString('hex')}:${handle.toString('hex')}`, fsid: fsid.toString('hex'), handle, name });
      }
      info += len;
    }
    events.push({ mask, fd, pid, names });
    offset += eventLen;
  }
  return events;
}
