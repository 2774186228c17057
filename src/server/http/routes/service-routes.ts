// Service routes: liveness for load balancers (no token), and Prometheus metrics (the metrics
// token or an admin token, unless the server was told to serve them openly).
import type { RouteModule } from '../context.ts';

export const serviceRoutes: RouteModule = {
  name: 'service',
  register(app, { metrics, auth }) {
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/metrics', { onRequest: auth.metrics }, async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
};
