// The rollout engine as a server module (see ../modules.ts): its migrations, its admin routes, the
// `content` directive of every heartbeat, and the timer that judges the active rollout.
import type { ServerModule } from '../modules.ts';
import { defaultJudgeConfig, type JudgeConfig } from './judge/judge-config.ts';
import { rolloutDirectiveSource, rolloutRoutes } from './routes.ts';
import { createRolloutService } from './service.ts';
import { rolloutMigrations } from './storage/migrations.ts';
import { startRolloutTicker } from './ticker.ts';

export type RolloutModuleOptions = { tickMs: number; judge: JudgeConfig };

export const defaultRolloutModuleOptions: RolloutModuleOptions = { tickMs: 15_000, judge: defaultJudgeConfig };

export function rolloutModule(options: RolloutModuleOptions = defaultRolloutModuleOptions): ServerModule {
  return {
    name: 'rollouts',
    migrations: rolloutMigrations,
    start({ store, now, logger, settings }) {
      // Silence is judged against the heartbeat interval the server hands out, never shorter.
      const judge = { ...options.judge, silentAfterSeconds: Math.max(options.judge.silentAfterSeconds, settings.silentAfterS) };
      const service = createRolloutService({ store, judge });
      const ticker = startRolloutTicker(service, {
        now, intervalMs: options.tickMs,
        onOutcome: (outcome) => {
          if (outcome.kind === 'moved') logger.warn({ rolloutId: outcome.rolloutId, to: outcome.transition.to, reason: outcome.transition.reason }, 'rollout moved');
        },
        onError: (error) => logger.error({ err: error }, 'rollout tick failed; will retry'),
      });
      return { routes: [rolloutRoutes(service)], directiveSources: [rolloutDirectiveSource(service)], stop: () => ticker.stop() };
    },
  };
}
