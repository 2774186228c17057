// A process key that survives pid reuse: the pid alone repeats (pid_max is often 32768), the pid plus
// its start time since boot plus the boot does not. Sigma calls this field ProcessGuid.

export type ProcessKeyParts = { bootId: string; pid: number; startTicks: number };

/** `<first 8 chars of boot id>-<pid>-<start time in clock ticks since boot>` */
export function processKey(parts: ProcessKeyParts): string {
  return `${parts.bootId.slice(0, 8)}-${parts.pid}-${parts.startTicks}`;
}

export function parseProcessKey(key: string): ProcessKeyParts | undefined {
  const match = /^([0-9a-f-]{1,8})-(\d+)-(\d+)$/.exec(key);
  if (!match) return undefined;
  return { bootId: match[1]!, pid: Number(match[2]), startTicks: Number(match[3]) };
}
