// The few libc calls the Linux sensors need, bound once per thread through koffi. Buffers are plain
// Node Buffers (koffi passes their memory), and every call returns -1 with errno like C does, so
// callers decide what a failure means instead of catching exceptions.
import koffi from 'koffi';

export type Libc = {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  send(fd: number, buf: Buffer, len: number, flags: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  poll(fds: Buffer, count: number, timeoutMs: number): number;
  read(fd: number, buf: Buffer, len: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  close(fd: number): number;
  eventfd(initval: number, flags: number): number;
  fanotifyInit(flags: number, eventFlags: number): number;
  fanotifyMark(fd: number, flags: number, mask: bigint, dirfd: number, path: string | null): number;
  openByHandleAt(mountFd: number, handle: Buffer, flags: number): number;
  open(path: string, flags: number): number;
  inotifyInit1(flags: number): number;
  inotifyAddWatch(fd: number, path: string, mask: number): number;
  readlink(path: string, buf: Buffer, size: number): number;
  setpriority(which: number, who: number, prio: number): number;
  /** sched_setscheduler for one thread: policy 0 = SCHED_OTHER, 1 = SCHED_FIFO. */
  setScheduler(tid: number, policy: number, priority: number): number;
  gettid(): number;
  errno(): number;
};

let bound: Libc | undefined;

/** Binds libc for the calling thread (koffi handles are per thread in workers). */
export function libc(): Libc {
  if (bound) return bound;
  const lib = koffi.load('libc.so.6');
  const f = (decl: string) => lib.func(decl);
  const socket = f('int socket(int, int, int)');
  const bind = f('int bind(int, void *, uint32_t)');
  const send = f('intptr_t send(int, void *, size_t, int)');
  const recv = f('intptr_t recv(int, void *, size_t, int)');
  const setsockopt = f('int setsockopt(int, int, int, void *, uint32_t)');
  const poll = f('int poll(void *, uint64_t, int)');
  const read = f('intptr_t read(int, void *, size_t)');
  const write = f('intptr_t write(int, void *, size_t)');
  const close = f('int close(int)');
  const eventfd = f('int eventfd(unsigned int, int)');
  const fanotifyInit = f('int fanotify_init(unsigned int, unsigned int)');
  const fanotifyMark = f('int fanotify_mark(int, unsigned int, uint64_t, int, const char *)');
  const openByHandleAt = f('int open_by_handle_at(int, void *, int)');
  const open = f('int open(const char *, int)');
  const inotifyInit1 = f('int inotify_init1(int)');
  const inotifyAddWatch = f('int inotify_add_watch(int, const char *, uint32_t)');
  const readlink = f('intptr_t readlink(const char *, void *, size_t)');
  const setpriority = f('int setpriority(int, unsigned int, int)');
  const gettid = f('int gettid()');
  const schedSetscheduler = f('int sched_setscheduler(int, int, void *)');
  bound = {
    socket: (a, b, c) => socket(a, b, c),
    bind: (a, b, c) => bind(a, b, c),
    send: (a, b, c, d) => Number(send(a, b, c, d)),
    recv: (a, b, c, d) => Number(recv(a, b, c, d)),
    setsockopt: (a, b, c, d, e) => setsockopt(a, b, c, d, e),
    poll: (a, b, c) => poll(a, b, c),
    read: (a, b, c) => Number(read(a, b, c)),
    write: (a, b, c) => Number(write(a, b, c)),
    close: (a) => close(a),
    eventfd: (a, b) => eventfd(a, b),
    fanotifyInit: (a, b) => fanotifyInit(a, b),
    fanotifyMark: (a, b, c, d, e) => fanotifyMark(a, b, c, d, e),
    openByHandleAt: (a, b, c) => openByHandleAt(a, b, c),
    open: (a, b) => open(a, b),
    inotifyInit1: (a) => inotifyInit1(a),
    inotifyAddWatch: (a, b, c) => inotifyAddWatch(a, b, c),
    readlink: (a, b, c) => Number(readlink(a, b, c)),
    setpriority: (a, b, c) => setpriority(a, b, c),
    gettid: () => gettid(),
    setScheduler: (tid, policy, priority) => {
      const param = Buffer.alloc(4);
      param.writeInt32LE(priority);
      return schedSetscheduler(tid, policy, param);
    },
    errno: () => koffi.errno(),
  };
  return bound;
}

export const errnos = { EINTR: 4, EAGAIN: 11, ENOENT: 2, EPERM: 1, EINVAL: 22, ENOBUFS: 105, ENOSYS: 38, EACCES: 13 } as const;

/** Polls fds for readability; returns the indexes that are readable (or [] on timeout/EINTR). */
export function pollReadable(c: Libc, fds: readonly number[], timeoutMs: number): number[] {
  const buf = Buffer.alloc(8 * fds.length);
  fds.forEach((fd, i) => {
    buf.writeInt32LE(fd, i * 8);
    buf.writeInt16LE(0x1, i * 8 + 4); // POLLIN
  });
  const n = c.poll(buf, fds.length, timeoutMs);
  if (n <= 0) return [];
  const ready: number[] = [];
  fds.forEach((_fd, i) => {
    if (buf.readInt16LE(i * 8 + 6) !== 0) ready.push(i);
  });
  return ready;
}

/** Wakes a worker blocked in poll() on this eventfd. */
export function signalEventFd(c: Libc, fd: number): void {
  const one = Buffer.alloc(8);
  one.writeBigUInt64LE(1n);
  c.write(fd, one, 8);
}
