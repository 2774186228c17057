// The agent daemon: start-up as ordered steps (state, content, engine, outputs, sensors, content
// updates, control plane, status), then events flow sensors → engine → alerts (spool, output, server).
// `stop()` runs every teardown step to the end.
import { flushCompileCache } from 'node:module';
import { join } from 'node:path';
import type { SensorEvent } from '../events/index.ts';
import { createSensorRegistry, createSensors, formatReplayDiagnostic, idleHelperThreads, type ExecFacts, type ReplaySensor, type SensorRegistry } from '../sensors/index.ts';
import type { AlertRecord } from './alert.ts';
import type { AgentConfig } from './config.ts';
import { loadFromStore, loadRuleFiles, openContentStore, type StoreContent } from './content-source.ts';
import { createContentUpdater, type ContentUpdater } from './content-updates.ts';
import { contentDirectiveOf, type ControlPlanePort } from './control-plane.ts';
import { agentDiagnostic, AgentCodes, formatAgentDiagnostic, type AgentDiagnostic } from './diagnostics.ts';
import { openJsonLinesOutput, type JsonLinesOutput } from './json-lines-output.ts';
import { buildEngine, createPipeline, type EngineSettings, type LoadedContent, type Pipeline } from './pipeline.ts';
import type { ExecDeciderConfig } from './exec-decider.ts';
import { recordStart, type RunHistory } from './runs.ts';
import { openSpool, type Spool } from './spool.ts';
import { createStatusBuilder } from './status-builder.ts';
import { writeStatusFile, type AgentStatus } from './status.ts';
import { runSteps, type Step } from './steps.ts';
import { startUplink, type Uplink } from './uplink.ts';

export type AgentLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export type AgentRunOptions = {
  config: AgentConfig;
  /** `--rules`: rule files or directories, instead of the content store. */
  rules?: readonly string[];
  /** `--alerts`: '-' for standard output, a file, or null for none; default from the config. */
  alertsOut?: string | null;
  /** `--events-out`: '-' or a file; every normalised event as JSON Lines. */
  eventsOut?: string;
  controlPlane?: { port: ControlPlanePort; url: string; hostId: string; intervalS: number };
};

export type AgentEnv = {
  now: () => Date;
  /** Monotonic milliseconds (performance.now). */
  clock: () => number;
  random: () => number;
  newId: () => string;
  stdout: { write(text: string): unknown; writableLength?: number };
  log: AgentLog;
  isRoot: boolean;
  agentVersion: string;
  engineVersion: string;
};

export type RunningAgent = {
  status(): AgentStatus;
  /** Resolves when every replay sensor has read its files (at once when there is none). */
  replayDone(): Promise<void>;
  /** Resolves when a content change that is under way has finished. */
  contentIdle(): Promise<void>;
  /** Counts an error that escaped to the process (the CLI's last-resort handlers report here). */
  internalError(error: unknown): void;
  stop(): Promise<void>;
};

export type StartAgentResult = { ok: true; agent: RunningAgent } | { ok: false; step: string; diagnostics: AgentDiagnostic[] };

export async function startAgent(options: AgentRunOptions, env: AgentEnv): Promise<StartAgentResult> {
  const { config } = options;
  const startedAt = env.now();
  let state: AgentStatus['state'] = 'starting';
  let runs: RunHistory | undefined;
  let storeContent: StoreContent | undefined;
  let content: LoadedContent | undefined;
  let pipeline: Pipeline | undefined;
  let spool: Spool | undefined;
  let alertOutput: JsonLinesOutput | undefined;
  let eventOutput: JsonLinesOutput | undefined;
  let registry: SensorRegistry | undefined;
  let updater: ContentUpdater | undefined;
  let uplink: Uplink | undefined;
  let ring: number | null = null;
  let internalErrors = 0;
  let statusTimer: NodeJS.Timeout | undefined;

  const engineSettings: EngineSettings = {
    ruleBudgetMs: config.engine.ruleBudgetMs, sampleEvery: config.engine.sampleEvery, quarantineAfter: config.engine.quarantineAfter,
    maxCorrelationGroups: config.engine.maxCorrelationGroups, clock: env.clock,
    onQuarantine: (ruleId, reason) => env.log('warn', 'rule quarantined', { ruleId, reason }),
  };
  const ruleLoad = { placeholders: config.engine.placeholders, denyTags: config.prevention.denyTags };
  const reload = (why: string) => {
    if (!storeContent || !pipeline) return;
    try {
      const loaded = loadFromStore(storeContent.store, env.now(), ruleLoad);
      if (!loaded.ok) { env.log('error', 'cannot load the new content; keeping the running rules', { why, problems: loaded.diagnostics.map(formatAgentDiagnostic) }); return; }
      const engine = buildEngine(loaded.value, engineSettings, pipeline.engine());
      content = loaded.value;
      pipeline.setEngine(engine);
      env.log('info', 'content loaded', { content: loaded.value.label, rules: loaded.value.ruleSet.rules.length, why });
    } catch (error) {
      // Proven content should always load; if it does not, the running rules stay (and the log says why).
      internalErrors += 1;
      env.log('error', 'cannot switch to the new content; keeping the running rules', { why, error: (error as Error).message });
    }
  };
  const onAlert = (record: AlertRecord) => {
    spool?.append(record);
    alertOutput?.write(record);
    uplink?.wake();
  };

  const steps: Step[] = [
    {
      name: 'state',
      run() {
        runs = recordStart(join(config.stateDir, 'runs.json'), startedAt);
        return { ok: true, teardown: () => runs?.markStopped() };
      },
    },
    {
      name: 'content',
      run() {
        if (options.rules && options.rules.length > 0) {
          const loaded = loadRuleFiles(options.rules, ruleLoad);
          if (!loaded.ok) return loaded;
          content = loaded.value;
        } else {
          const opened = openContentStore({ dir: config.content.store, ...(config.content.rootFile ? { rootFile: config.content.rootFile } : {}), policy: policyOf(config), now: startedAt });
          if (!opened.ok) return opened;
          storeContent = opened.value;
          if (opened.value.seeded) env.log('info', 'content store seeded with the starter pack', { version: opened.value.seeded });
          const decision = opened.value.decision;
          if (decision.kind === 'rolled-back' || decision.kind === 'no-fallback') env.log('warn', `crash-loop guard: ${decision.kind}`, { decision });
          const loaded = loadFromStore(opened.value.store, startedAt, ruleLoad);
          if (!loaded.ok) return loaded;
          content = loaded.value;
        }
        for (const r of content.rejected) env.log('warn', 'rule rejected', { source: r.source, ruleId: r.id, reason: r.reason });
        return { ok: true };
      },
    },
    {
      name: 'engine',
      run() {
        pipeline = createPipeline(buildEngine(content!, engineSettings), {
          hostName: config.host.name, now: env.now, newId: env.newId, onAlert,
          onEvent: (event: SensorEvent) => eventOutput?.write(event),
        });
        env.log('info', 'engine ready', { content: content!.label, rules: content!.ruleSet.rules.length, rejected: content!.rejected.length });
        return { ok: true };
      },
    },
    {
      name: 'outputs',
      run() {
        try {
          const spoolConfig = config.alerts.spool;
          spool = openSpool({
            dir: join(config.stateDir, 'spool'), maxBytes: Math.floor(spoolConfig.maxMb * 1024 * 1024),
            segmentBytes: Math.max(4096, Math.min(spoolConfig.segmentKb * 1024, (spoolConfig.maxMb * 1024 * 1024) / 4)),
            fsync: spoolConfig.fsync, fsyncIntervalMs: spoolConfig.fsyncIntervalMs,
          });
        } catch (error) {
          return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.spoolUnavailable, `cannot open the alert spool: ${(error as Error).message}`, { file: join(config.stateDir, 'spool') })] };
        }
        try {
          const alertsTo = options.alertsOut === undefined ? config.alerts.output : options.alertsOut;
          if (alertsTo !== null) alertOutput = openJsonLinesOutput(alertsTo === '-' ? { kind: 'stream', stream: env.stdout } : { kind: 'file', path: alertsTo });
          if (options.eventsOut !== undefined) eventOutput = openJsonLinesOutput(options.eventsOut === '-' ? { kind: 'stream', stream: env.stdout } : { kind: 'file', path: options.eventsOut });
        } catch (error) {
          spool.close();
          return { ok: false, diagnostics: [agentDiagnostic(AgentCodes.outputUnavailable, `cannot open an output: ${(error as Error).message}`)] };
        }
        return { ok: true, teardown: async () => { spool?.close(); await alertOutput?.close(); await eventOutput?.close(); } };
      },
    },
    {
      name: 'sensors',
      async run() {
        // Exec permission decides in its own worker (exec-decider.ts), from the running content's prevention rules.
        const deciderConfigs = new WeakMap<LoadedContent, ExecDeciderConfig>();
        const deciderConfig = () => {
          const running = pipeline!.engine().content;
          let cached = deciderConfigs.get(running);
          if (!cached) deciderConfigs.set(running, cached = { rules: running.preventionRules, denyTags: [...config.prevention.denyTags], hostName: config.host.name, placeholders: config.engine.placeholders });
          return cached;
        };
        const created = createSensors(config.sensors, {
          ...(config.sensors.execPermission?.enabled === true ? {
            decider: { module: new URL('./exec-decider.ts', import.meta.url), config: deciderConfig },
            onDeny: (exec: ExecFacts, ruleId: string) => env.log('warn', 'exec denied', { pid: exec.pid, path: exec.path, ruleId }),
          } : {}),
          onReplayDiagnostic: (d) => env.log('warn', formatReplayDiagnostic(d)),
        });
        if (!created.ok) return { ok: false, diagnostics: created.diagnostics.map((d) => agentDiagnostic(AgentCodes.sensorsInvalid, d.message, { key: d.code })) };
        registry = createSensorRegistry(created.sensors);
        if (config.scheduling.helperThreads === 'idle') {
          const helpers = idleHelperThreads();
          env.log(helpers.failed === 0 ? 'info' : 'warn', 'V8 helper threads at SCHED_IDLE', { ...helpers });
        }
        const statuses = await registry.startAll((event) => pipeline!.handle(event));
        for (const s of statuses) {
          const fields = { sensor: s.name, state: s.state, source: s.source, ...(s.reason ? { reason: s.reason } : {}), ...(s.misses.length > 0 ? { misses: s.misses } : {}) };
          env.log(s.state === 'running' ? 'info' : 'warn', `sensor ${s.name}: ${s.state}`, fields);
        }
        if (!env.isRoot && statuses.some((s) => s.state === 'degraded')) env.log('warn', 'not running as root: sensors fall back to /proc polling and inotify and miss short-lived processes and file authors (see ring3 agent status)');
        return { ok: true, teardown: () => registry?.stopAll() };
      },
    },
    {
      name: 'content-updates',
      run() {
        if (!storeContent) return { ok: true };
        updater = createContentUpdater({
          store: storeContent.store, packName: config.content.pack, ...(config.content.repository ? { repository: config.content.repository } : {}),
          engineVersion: env.engineVersion, proof: config.content.proof, policy: policyOf(config),
          // With a server the server assigns versions (rollouts); polling the channel would jump the rings.
          pollIntervalS: options.controlPlane ? 0 : config.content.pollIntervalS,
          now: env.now, random: env.random, reload, log: (level, message, fields) => env.log(level, message, fields),
        });
        return { ok: true, teardown: () => updater?.stop() };
      },
    },
    {
      name: 'control-plane',
      run() {
        const cp = options.controlPlane;
        if (!cp) return { ok: true };
        uplink = startUplink({
          port: cp.port, spool: spool!, intervalS: cp.intervalS, uploadBatch: config.server.uploadBatch, uploadIntervalMs: config.server.uploadIntervalMs, maxBackoffMs: config.server.maxBackoffMs,
          facts: () => builder.facts(), now: env.now, random: env.random,
          onDirectives: (directives) => {
            const directive = contentDirectiveOf(directives);
            if (!directive) return;
            ring = directive.ring;
            if (updater) updater.obey(directive);
          },
        });
        env.log('info', 'connected to the control plane', { url: cp.url, hostId: cp.hostId });
        return { ok: true, teardown: () => uplink?.stop() };
      },
    },
    {
      name: 'status',
      run() {
        const write = () => {
          try {
            writeStatusFile(config.status.file, builder.status());
          } catch (error) {
            internalErrors += 1;
            env.log('warn', 'cannot write the status file', { file: config.status.file, error: (error as Error).message });
          }
        };
        state = 'running';
        write();
        statusTimer = setInterval(write, config.status.intervalS * 1000);
        statusTimer.unref();
        return { ok: true, teardown: () => { clearInterval(statusTimer); state = 'stopped'; write(); } };
      },
    },
  ];

  const builder = createStatusBuilder({
    config, env, startedAt, options,
    get: () => ({ state, runs, storeContent, content, pipeline, spool, alertOutput, registry, updater, uplink, ring, internalErrors }),
  });

  const result = await runSteps(steps, (name) => env.log('info', `start: ${name}`));
  if (!result.ok) {
    for (const f of result.teardown.failures) env.log('error', `teardown of ${f.step} failed: ${f.message}`);
    return { ok: false, step: result.step, diagnostics: result.diagnostics };
  }
  // Node writes its compile cache at exit; a daemon killed before a clean exit would never have one,
  // and every restart would load the TypeScript parser again (~30 MB, docs/sensors.md "Memory").
  flushCompileCache();
  let stopping: Promise<void> | undefined;
  return {
    ok: true,
    agent: {
      status: () => builder.status(),
      replayDone: async () => {
        const replays = (registry?.list() ?? []).filter((s) => s.kind === 'replay') as ReplaySensor[];
        await Promise.all(replays.map((s) => s.done()));
      },
      contentIdle: async () => { await updater?.idle(); },
      internalError(error) {
        internalErrors += 1;
        env.log('error', 'internal error (kept running)', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
      },
      stop() {
        stopping ??= (async () => {
          state = 'stopping';
          const report = await result.teardown();
          for (const f of report.failures) env.log('error', `teardown of ${f.step} failed: ${f.message}`);
        })();
        return stopping;
      },
    },
  };
}

function policyOf(config: AgentConfig) {
  const c = config.content.crashLoop;
  return { maxStarts: c.maxStarts, windowMs: c.windowMinutes * 60_000, probationMs: c.probationMinutes * 60_000 };
}
