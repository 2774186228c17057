// `ring3 content …`: packs (build, test, import), the TUF repository (repo, keygen, publish) and the
// host's content store (store, update), which is the library the agent calls.
import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { runBuild, runTest, runImport } from './pack-commands.ts';
import { runRepoInit, runPublish, runTimestamp, runRotate, runKeygen, runDelegate } from './repo-commands.ts';
import { runStoreInit, runStoreStatus, runStoreUpdate, runStoreGuard } from './host-commands.ts';

export function registerContentCommands(program: Command, context: CommandContext): void {
  const content = program.command('content').description('build, test, sign, publish and install detection content packs');
  const done = (code: number) => context.setExitCode(code);
  content.command('build').argument('<dir>', 'pack directory (pack.yaml, rules/, tests/)')
    .description('build a deterministic bundle: the same directory always gives the same bytes')
    .requiredOption('--out <file>', 'bundle to write (.r3pack)')
    .action((dir, options) => done(runBuild(dir, options, context)));
  content.command('test').argument('<pack>', 'bundle file or pack directory')
    .description('release gate: compile in the real engine, run the tests, adversarial events, throughput; non-zero exit on failure')
    .option('--baseline <bundle>', 'previous version, to compare throughput with')
    .option('--max-drop <share>', 'allowed throughput drop against the baseline', '0.2')
    .option('--engine-version <version>', 'engine version to check the pack\'s range against (default: this ring3)')
    .option('--stall-ms <ms>', 'time budget of one adversarial event in one rule')
    .option('--timeout <ms>', 'deadline for the whole gate', '300000')
    .option('--memory <mb>', 'memory ceiling of the gate\'s worker', '1024')
    .option('--json', 'the report as one JSON object')
    .action(async (pack, options) => done(await runTest(pack, options, context)));
  content.command('import').argument('<dir>', 'directory of Sigma rules (recursive)')
    .description('turn a Sigma rule directory into a pack, keeping each rule\'s author and license')
    .requiredOption('--out <dir>', 'pack directory to create')
    .option('--name <name>', 'pack name', 'sigma-import')
    .option('--version <version>', 'pack version', '0.1.0')
    .option('--publisher <publisher>', 'pack publisher', 'imported')
    .option('--engine <range>', 'engine versions the pack supports', '>=0.1.0 <1.0.0')
    .option('--license <license>', 'license of rules that name none', 'DRL-1.1')
    .action((dir, options) => done(runImport(dir, options, context)));
  const repo = content.command('repo').description('a TUF repository of packs, as static files');
  repo.command('init').argument('<dir>', 'repository directory')
    .description('create root, targets, snapshot and timestamp roles with ed25519 keys')
    .option('--root-keys <n>').option('--root-threshold <n>').option('--targets-keys <n>').option('--targets-threshold <n>')
    .option('--snapshot-keys <n>').option('--snapshot-threshold <n>').option('--timestamp-keys <n>').option('--timestamp-threshold <n>')
    .option('--root-days <days>').option('--targets-days <days>').option('--snapshot-days <days>').option('--timestamp-days <days>')
    .action((dir, options) => done(runRepoInit(dir, options, context)));
  repo.command('timestamp').description('re-sign the timestamp (run more often than it expires)')
    .requiredOption('--repo <dir>').option('--keys <dirs...>', 'extra key directories')
    .action((options) => done(runTimestamp(options, context)));
  repo.command('rotate').description('replace a role\'s keys in a new root version (root keys included)')
    .requiredOption('--repo <dir>').requiredOption('--role <role>', 'root, targets, snapshot or timestamp')
    .option('--keys <n>', 'number of new keys').option('--threshold <n>').option('--key-dir <dirs...>', 'extra key directories')
    .action((options) => done(runRotate(options, context)));
  repo.command('delegate').description('let another publisher sign packs under some paths with its own keys')
    .requiredOption('--repo <dir>').requiredOption('--name <role>').requiredOption('--paths <patterns...>', 'target path patterns, e.g. "acme-*/*"')
    .requiredOption('--key <files...>', 'the publisher\'s public keys (JSON from "content keygen", or a private .pem)').option('--threshold <n>', 'signatures needed', '1')
    .action((options) => done(runDelegate(options, context)));
  content.command('keygen').description('make an ed25519 key for a delegated publisher; prints its public key JSON')
    .requiredOption('--out <dir>', 'key directory').action((options) => done(runKeygen(options, context)));
  content.command('publish').argument('<bundle>', 'bundle file or pack directory')
    .description('run the release gate, then add the pack as a signed target with new snapshot and timestamp')
    .requiredOption('--repo <dir>').option('--role <role>', 'delegated role to sign as (default: targets)')
    .option('--keys <dirs...>', 'key directories besides <repo>/keys').option('--skip-gate', 'publish without running the release gate')
    .option('--max-drop <share>', 'allowed throughput drop against the previous published version', '0.2')
    .action(async (bundle, options) => done(await runPublish(bundle, options, context)));
  content.command('update').description('one update cycle on this host: fetch through TUF, verify, prove in a worker, swap')
    .requiredOption('--store <dir>').requiredOption('--repo <url>', 'base URL serving metadata/ and targets/').requiredOption('--pack <name>')
    .option('--engine-version <version>').option('--proof-timeout <ms>', 'deadline of the proof worker', '60000').option('--proof-memory <mb>', 'memory ceiling of the proof worker', '256')
    .action(async (options) => done(await runStoreUpdate(options, context)));
  const store = content.command('store').description('the host\'s content store');
  store.command('init').requiredOption('--store <dir>').requiredOption('--root <file>', 'the repository\'s trusted root.json').option('--seed <bundle>', 'shipped content to start with')
    .action((options) => done(runStoreInit(options, context)));
  store.command('status').requiredOption('--store <dir>').option('--json')
    .action((options) => done(runStoreStatus(options, context)));
  store.command('guard').description('record an agent start and apply the crash-loop guard (what the agent does at start-up)')
    .requiredOption('--store <dir>').option('--max-starts <n>', 'starts that make a crash loop', '3')
    .option('--window-minutes <m>', 'within this many minutes', '10').option('--probation-minutes <m>', 'before a version becomes last-known-good', '30')
    .action((options) => done(runStoreGuard(options, context)));
}
