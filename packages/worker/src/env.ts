import type { TeacherBundle } from './db/bundles.js';
import type { Db } from './db/index.js';

export interface Env {
  DB: D1Database;
  /** Evidence files, keyed `sha256/<hex>` (src/db/files.ts). */
  EVIDENCE: R2Bucket;
}

export type Role = 'admin' | 'hr' | 'committee' | 'teacher' | 'unit_reviewer';
export const roles = ['admin', 'hr', 'committee', 'teacher', 'unit_reviewer'] as const satisfies readonly Role[];

export interface Principal {
  keyId: string;
  role: Role;
  /** Set for the teacher role: the only teacher this key may read. */
  teacherId: string | null;
  /** Set for the unit_reviewer role: the units whose teachers' records this key sees and reviews. */
  units?: readonly string[];
}

export interface AppVariables {
  requestId: string;
  db: Db;
  principal: Principal;
  /** A teacher view's bundle, read in the key lookup's batch (auth.ts authenticate); used only once authorised. */
  prefetchedBundle?: { teacherId: string; bundle: TeacherBundle | null };
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
