// An exec decider module for the exec permission tests (the worker imports it by URL): denies paths
// with one of the configured suffixes, throws on `throwOn`, refuses a config marked broken.
import type { ExecDecider, ExecFacts } from '../../src/sensors/index.ts';

type FixtureConfig = { deny: string[]; throwOn?: string; broken?: boolean };

export function createExecDecider(config: unknown): ExecDecider {
  const c = config as FixtureConfig;
  if (c.broken) throw new Error('fixture: broken config');
  return {
    mayDeny: c.deny.length > 0,
    decide(exec: ExecFacts) {
      if (c.throwOn !== undefined && exec.path.endsWith(c.throwOn)) throw new Error('fixture: decider bug');
      const suffix = c.deny.find((s) => exec.path.endsWith(s));
      return suffix === undefined ? { allow: true } : { allow: false, ruleId: `deny${suffix}` };
    },
  };
}
