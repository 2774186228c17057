// Start-up as an ordered list of named steps. A step that fails stops the start-up; the steps that
// had started are torn down in reverse order, and every teardown runs even when one of them fails.
import { agentDiagnostic, AgentCodes, type AgentDiagnostic } from './diagnostics.ts';

export type StepOutcome = { ok: true; teardown?: () => Promise<void> | void } | { ok: false; diagnostics: AgentDiagnostic[] };
export type Step = { name: string; run(): Promise<StepOutcome> | StepOutcome };

export type StepsResult =
  | { ok: true; teardown(): Promise<TeardownReport> }
  | { ok: false; step: string; diagnostics: AgentDiagnostic[]; teardown: TeardownReport };

export type TeardownReport = { failures: { step: string; message: string }[] };

export async function runSteps(steps: readonly Step[], onStep?: (name: string) => void): Promise<StepsResult> {
  const started: { name: string; teardown: () => Promise<void> | void }[] = [];
  const teardown = async (): Promise<TeardownReport> => {
    const failures: TeardownReport['failures'] = [];
    for (const { name, teardown: stop } of started.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push({ step: name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { failures };
  };
  for (const step of steps) {
    onStep?.(step.name);
    let outcome: StepOutcome;
    try {
      outcome = await step.run();
    } catch (error) {
      outcome = { ok: false, diagnostics: [agentDiagnostic(AgentCodes.stepFailed, `${error instanceof Error ? error.message : String(error)}`, { key: step.name })] };
    }
    if (!outcome.ok) return { ok: false, step: step.name, diagnostics: outcome.diagnostics, teardown: await teardown() };
    if (outcome.teardown) started.push({ name: step.name, teardown: outcome.teardown });
  }
  return { ok: true, teardown };
}
