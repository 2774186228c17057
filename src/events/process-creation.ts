// process_creation: one event per successful execve, with Sigma's Linux field names
// (../shared/sigma/logsource.json, legit.linux.category.process_creation).
import type { EventBase } from './event-base.ts';

export type ProcessCreationFields = {
  ProcessGuid: string;
  ProcessId: number;
  Image?: string;
  CommandLine?: string;
  CurrentDirectory?: string;
  User?: string;
  /** The login uid (auid) — who logged in, across su/sudo; absent when unset. */
  LogonId?: number;
  ParentProcessGuid?: string;
  ParentProcessId?: number;
  ParentImage?: string;
  ParentCommandLine?: string;
  ParentUser?: string;
};

export type ProcessCreationEvent = EventBase & ProcessCreationFields & { kind: 'process_creation' };

/** process_termination: a process (thread-group leader) exited. */
export type ProcessTerminationEvent = EventBase & {
  kind: 'process_termination';
  ProcessGuid: string;
  ProcessId: number;
  Image?: string;
  User?: string;
  ExitCode?: number;
};
