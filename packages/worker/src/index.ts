import { app } from './app.js';
import type { Env } from './env.js';
import { runScheduledJobs } from './jobs/scheduled.js';

// Only the default export: workerd treats every named export of the main module as an entrypoint.

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  scheduled: async (controller: ScheduledController, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(runScheduledJobs(env, controller.cron, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
