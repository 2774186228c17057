// The public surface of src/sensors: the Sensor interface, the registry, the catalog that picks
// kernel interfaces or fallbacks, and each sensor's factory for callers that wire one directly.
export type { EventSink, Sensor, SensorKind, SensorState, SensorStatus } from './sensor.ts';
export type { SensorRegistry } from './registry.ts';
export { createSensorRegistry, DuplicateSensorError } from './registry.ts';
export type { CreateSensorsResult, SensorMode, SensorsConfig, SensorsDeps, SensorsDiagnostic } from './catalog.ts';
export { createSensors } from './catalog.ts';
export { withFallback } from './with-fallback.ts';
export type { ExecRequest } from './worker-protocol.ts';
export type { ExecDeciderSource, ExecPermissionSensorOptions, Verdict, VerdictPort } from './linux/exec-permission-sensor.ts';
export type { ExecDecider, ExecDeciderModule, ExecDecision, ExecFacts } from './linux/exec-permission-protocol.ts';
export { createExecPermissionSensor } from './linux/exec-permission-sensor.ts';
export { createProcConnectorSensor } from './linux/process-sensor.ts';
export type { HelperThreadsResult } from './linux/helper-threads.ts';
export { idleHelperThreads } from './linux/helper-threads.ts';
export type { AuditMode, AuditSensorOptions } from './linux/audit-sensor.ts';
export { createAuditSensor, joinedWithAudit } from './linux/audit-sensor.ts';
export type { ExecJoin, ExecJoinOptions } from './exec-join.ts';
export { createExecJoin } from './exec-join.ts';
export { createFanotifyFileSensor } from './linux/file-sensor.ts';
export { createProcNetNetworkSensor, createSockDiagNetworkSensor } from './linux/network-sensor.ts';
export { createInotifySensor, createProcPollSensor } from './fallback/fallback-sensors.ts';
export type { ReplayDiagnostic, ReplaySensor, ReplaySensorOptions } from './replay/replay-sensor.ts';
export { createReplaySensor, formatReplayDiagnostic } from './replay/replay-sensor.ts';
