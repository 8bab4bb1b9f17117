import { cleanupOrphanFiles } from '../db/files.js';
import type { Env } from '../env.js';
import { writeWeeklyDigests } from './digests.js';

/** The weekly digest's Cron Trigger (wrangler.toml [triggers] crons): Mondays 01:00 UTC, 09:00 in Beijing. */
export const WEEKLY_DIGEST_CRON = '0 1 * * 1';

/**
 * The named jobs of one Cron Trigger run at the trigger's scheduled time: every run removes evidence bytes no
 * live row refers to; the weekly trigger also writes the digests. One job failing does not stop the other;
 * the run still fails, so the failure shows in the Cron Trigger's log.
 */
export async function runScheduledJobs(env: Env, cron: string, at: Date): Promise<void> {
  const jobs: Promise<unknown>[] = [cleanupOrphanFiles(env, at)];
  if (cron === WEEKLY_DIGEST_CRON) jobs.push(writeWeeklyDigests(env, at));
  const failed = (await Promise.allSettled(jobs)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
