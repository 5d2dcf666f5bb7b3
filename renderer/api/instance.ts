// The app's one API connection, created at start-up (main.ts) and read by the stores.
import type { FlumenApi } from '../../shared/api.ts';
import type { ApiConnection } from './client.ts';

let current: ApiConnection | null = null;

export function setApiConnection(conn: ApiConnection): void {
  current = conn;
}

export function useApiConnection(): ApiConnection {
  if (!current) throw new Error('the API connection is created in main.ts before the app mounts');
  return current;
}

export function useApi(): FlumenApi {
  return useApiConnection().api;
}
