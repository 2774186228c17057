// The core server's routes, in one explicit list. Server modules (rollouts) bring their own lists
// through src/server/modules.ts; nothing registers a route anywhere else.
import type { RouteModule } from './context.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { adminTokenRoutes } from './routes/admin-token-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { enrollRoutes } from './routes/enroll-routes.ts';
import { serviceRoutes } from './routes/service-routes.ts';

export const coreRoutes: readonly RouteModule[] = [serviceRoutes, enrollRoutes, agentRoutes, adminRoutes, adminTokenRoutes];
