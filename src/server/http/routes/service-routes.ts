// Unauthenticated service routes: liveness for load balancers and Prometheus metrics.
import type { RouteModule } from '../context.ts';

export const serviceRoutes: RouteModule = {
  name: 'service',
  register(app, { metrics }) {
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/metrics', async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
};
