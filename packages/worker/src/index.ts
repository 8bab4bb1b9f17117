import { app } from './app.js';
import { cleanupOrphanFiles } from './db/files.js';
import type { Env } from './env.js';

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  // Cron Triggers (wrangler.toml [triggers]): every run also removes evidence bytes no live row refers to.
  scheduled: async (controller: ScheduledController, env: Env, ctx: ExecutionContext) => {
    ctx.waitUntil(cleanupOrphanFiles(env, new Date(controller.scheduledTime)).then(() => undefined));
  },
} satisfies ExportedHandler<Env>;
