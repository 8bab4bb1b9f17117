import type { Db } from './db/index.js';

export interface Env {
  DB: D1Database;
}

export type Role = 'admin' | 'hr' | 'committee' | 'teacher';
export const roles = ['admin', 'hr', 'committee', 'teacher'] as const satisfies readonly Role[];

export interface Principal {
  keyId: string;
  role: Role;
  /** Set for the teacher role: the only teacher this key may read. */
  teacherId: string | null;
}

export interface AppVariables {
  requestId: string;
  db: Db;
  principal: Principal;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
