import { hc } from 'hono/client';
import type { AppType } from './app.js';

/** Typed client for other tools: `const api = createClient('https://shizi.example', token)`. */
export function createClient(baseUrl: string, token: string) {
  return hc<AppType>(baseUrl, { headers: { authorization: `Bearer ${token}` } });
}
export type { AppType };
