// What every ring3 event carries besides its Sigma taxonomy fields. Fields ring3 adds are lower case
// (`@timestamp`, `host`, `kind`, `missing`) so they never collide with Sigma's PascalCase names.

/** The host an event was seen on. Rules reach these as `host.name`, `host.bootId`. */
export type EventHost = { name: string; bootId?: string };

export type EventBase = {
  /** When the kernel saw it (ISO 8601, UTC). */
  '@timestamp': string;
  host: EventHost;
  /**
   * Sigma fields that could not be read (for example the command line of a process that exited
   * before /proc was read). A rule on a missing field cannot match; this list says why.
   */
  missing: string[];
};

/** Sigma writes booleans in Linux/Sysmon events as the strings 'true' / 'false'. */
export type SigmaBool = 'true' | 'false';

export function sigmaBool(value: boolean): SigmaBool {
  return value ? 'true' : 'false';
}
