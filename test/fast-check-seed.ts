// Property tests run with a fixed seed by default, so CI is deterministic: a counterexample found by a
// lucky seed must not fail an unrelated submission. `FC_SEED=random npm test` explores new seeds, and
// `FC_SEED=<n>` replays one (fast-check prints the seed of any failure).
import fc from 'fast-check';

const setting = process.env.FC_SEED;
if (setting !== 'random') fc.configureGlobal({ seed: setting === undefined ? 20261121 : Number(setting) });
