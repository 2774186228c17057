// The public surface of src/events: ring3's event taxonomy (Sigma field names) and its parser.
export type { EventBase, EventHost, SigmaBool } from './event-base.ts';
export { sigmaBool } from './event-base.ts';
export type { ProcessKeyParts } from './process-key.ts';
export { processKey, parseProcessKey } from './process-key.ts';
export type { ProcessCreationEvent, ProcessCreationFields, ProcessTerminationEvent } from './process-creation.ts';
export type { FileAction, FileEvent } from './file-event.ts';
export { fileActions } from './file-event.ts';
export type { NetworkConnectionEvent } from './network-connection.ts';
export type { Logsource, SensorEvent, SensorEventKind } from './sensor-event.ts';
export { logsourceOf, sensorEventKinds } from './sensor-event.ts';
export type { EventDiagnostic, ParseEventResult } from './parse-event.ts';
export { parseEvent } from './parse-event.ts';
