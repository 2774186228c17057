// The fleet simulator's public surface, for `ring3 sim` and the tests.
export { runScenario, defaultScenario, type ScenarioSpec, type ScenarioReport, type RoundReport } from './scenario.ts';
export { createSimFleet, defaultFleetSpec, type FleetSpec, type SimFleet } from './sim-fleet.ts';
export { startSimServer, manualClock, type SimServer } from './sim-server.ts';
export { parseFailure, type Failure, type FailureKind } from './failures.ts';
