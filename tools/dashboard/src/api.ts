import { current } from './auth';

// EdgeKv's public HTTP API, nothing else. Errors arrive in Azure's envelope {"error":{"code","message"}}.
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

let base = '';
export function setApiBase(value: string): void { base = value.replace(/\/+$/, ''); }

/** A nextLink is absolute and names the host that answered; keep its path and query (same API). */
export function relative(link: string): string {
  const u = new URL(link, location.href);
  return u.pathname + u.search;
}

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const s = current();
  if (s) headers.set('Authorization', `Bearer ${s.token}`);
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const response = await fetch(base + path, { ...init, headers });
  if (response.status >= 400) {
    let code = 'Error';
    let msg = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json() as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      msg = body.error?.message ?? msg;
    } catch { /* not JSON */ }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('edgekv:unauthenticated'));
    throw new ApiError(response.status, code, `${code}: ${msg}`);
  }
  return response;
}

export async function get<T>(path: string): Promise<T> {
  return await (await call(path)).json() as T;
}

export async function post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<{ body: T; response: Response }> {
  const response = await call(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers });
  const text = await response.text();
  return { body: (text ? JSON.parse(text) : null) as T, response };
}

export interface Page<T> { value: T[]; nextLink: string | null }

/** Follows nextLink until done or `limit` items; for bounded reads of small lists (active alerts). */
export async function all<T>(path: string, limit = 100_000): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = path;
  while (next && items.length < limit) {
    const page: Page<T> = await get<Page<T>>(next);
    items.push(...page.value);
    next = page.nextLink ? relative(page.nextLink) : null;
  }
  return items;
}

export interface Resource {
  name: string; resourceId: string; resourceGroup: string; location: string; principalId: string | null;
  preVaultIntegration: boolean; vault: { name: string; uri: string | null; id: string } | null;
  activationState: string; activationWarnings: string[]; activationKeyExpiresAt: string | null; activationKeyDelivered: boolean;
  deviceState: string; deviceSecretNames: string[]; auditStorageAccountId: string | null;
}

export interface Alert {
  id: string; resource: string; kind: string; severity: 'Warning' | 'Error' | 'Critical'; state: 'Active' | 'Resolved';
  finding: string; healing: string; firstSeen: string; lastSeen: string; resolvedAt: string | null; occurrences: number;
  /** Health (an operator heals the resource) or Security (who has access); from the kind. */
  category: 'Health' | 'Security';
  /** The Entra object id the alert is about (an access-policy entry's, a self-grantee's); null when none. */
  principal: string | null;
}

export interface Instance {
  name: string; instanceId: string; runtimeStatus: string; input: unknown; customStatus: unknown; output: unknown;
  createdTime: string; lastUpdatedTime: string; historyEvents?: Record<string, unknown>[];
}

export interface Sweep {
  id: string; instanceId: string; trigger: string; startedAt: string; completedAt: string; durationSeconds: number;
  pages: number; checked: number; skipped: number; faulty: number; uncheckedPages: number; raised: number; resolved: number;
  /** Read requests to Resource Manager and to the vaults (0 for sweeps recorded before they were counted). */
  armReads: number; dataPlaneReads: number;
}

export interface AlertTimeline { since: string; interval: string; buckets: { start: string; raised: number; resolved: number }[]; raised: number; resolved: number }

/** A key as GET /api/keys answers it: metadata, each version's public key, where it is distributed; never material. */
export interface Key {
  name: string; type: string; latestVersion: number; minEnabledVersion: number; deletionAllowed: boolean; rotationPeriod: string | null;
  createdTime: string; updatedTime: string;
  versions: { version: number; createdTime: string; enabled: boolean; publicKey: string | null }[];
  distributions: { kms: string; purpose: string[]; protection: string; state: string }[];
}

export interface KmsProvider { name: string; provider: string; keyCollection: string; credentialsSet: boolean; createdTime: string; updatedTime: string }

/** A key at a KMS provider (GET /api/kms/{name}/keys): which Azure key version holds each EdgeKv version. */
export interface KmsKey {
  name: string; kms: string; purpose: string[]; operations: string[]; protection: string; state: string; azureKeyId: string | null;
  versions: { version: number; azureVersion: string }[]; createdTime: string; updatedTime: string;
}

export const severityRank: Record<string, number> = { Critical: 3, Error: 2, Warning: 1 };
// EdgeKv's instance API as functions: served by the local host and in Azure alike (where the Functions host keeps
// /runtime/webhooks/durabletask for its own key-guarded API, blind to EdgeKv's roles).
export const durable = '/api/durabletask';
