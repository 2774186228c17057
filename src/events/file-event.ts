// file_event: a directory entry was created, a file was modified (closed after writing), deleted or
// renamed. Sigma's Linux file_event fields plus `action`; a rename also carries SourceFilename.
import type { EventBase } from './event-base.ts';

export const fileActions = ['created', 'modified', 'deleted', 'renamed'] as const;
export type FileAction = (typeof fileActions)[number];

export type FileEvent = EventBase & {
  kind: 'file_event';
  action: FileAction;
  TargetFilename: string;
  /** The old name of a renamed file. */
  SourceFilename?: string;
  Image?: string;
  ProcessId?: number;
  ProcessGuid?: string;
  User?: string;
};
