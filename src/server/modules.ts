// The server's modules, in one explicit list: each brings its migrations, its routes, what it says
// to hosts in heartbeat responses, and background work. The core module is enrollment, fleet and
// alerts; the rollout engine joins here. Nothing is wired by import side effects.
import type { Logger } from 'pino';
import type { DirectiveSource, RouteModule, ServerSettings } from './http/context.ts';
import { coreRoutes } from './http/routes.ts';
import { coreMigrations, type Migration } from './storage/migrations.ts';
import type { Store } from './storage/store.ts';
import { rolloutModule } from './rollouts/module.ts';

export type ModuleEnv = { store: Store; now: () => number; logger: Logger; settings: ServerSettings };
export type ModuleInstance = {
  routes: readonly RouteModule[];
  directiveSources?: readonly DirectiveSource[];
  /** Stops background work; the server awaits it before closing the store. */
  stop?(): Promise<void>;
};

export type ServerModule = {
  name: string;
  /** Named `NNNN-module-what`; applied after the core's, each once. */
  migrations: readonly Migration[];
  /** Called once the store is open and migrated. */
  start(env: ModuleEnv): ModuleInstance;
};

export type CoreOptions = { heartbeatRetentionMs: number; pruneEveryMs: number };

export function coreModule(options: CoreOptions): ServerModule {
  return {
    name: 'core',
    migrations: coreMigrations,
    start({ store, now, logger }) {
      // Heartbeats feed the health judge's bake windows; older ones only cost disk.
      const prune = async () => {
        try {
          const removed = await store.pruneHeartbeats(now() - options.heartbeatRetentionMs);
          if (removed > 0) logger.info({ removed }, 'pruned old heartbeats');
        } catch (error) {
          logger.error({ err: error }, 'pruning heartbeats failed; will retry');
        }
      };
      const timer = setInterval(() => { void prune(); }, options.pruneEveryMs);
      timer.unref();
      return { routes: coreRoutes, stop: async () => clearInterval(timer) };
    },
  };
}

export const defaultCoreOptions: CoreOptions = { heartbeatRetentionMs: 14 * 86400_000, pruneEveryMs: 3600_000 };

/** Every module the server runs. Add a module here and nowhere else. */
export function serverModules(core: CoreOptions = defaultCoreOptions): readonly ServerModule[] {
  return [coreModule(core), rolloutModule()];
}
