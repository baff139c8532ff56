// Sign-in: locally a test principal of the emulator's token service (through the host's loopback-only helper), or
// Microsoft Entra ID with the authorization code flow and PKCE for a single-page app. The token lives in
// sessionStorage only (gone with the tab), never in localStorage or a cookie.

export interface Config {
  apiBase: string;
  local: { tokenUrl: string; principals: { name: string; roles: string[] }[] } | null;
  entra: { authority: string; clientId: string; scope: string } | null;
}

export type Role = 'SecurityTeam' | 'Operator' | 'Auditor';

export interface Session {
  token: string;
  expiresAt: number;
  who: string;
  roles: Role[];
  mode: 'local' | 'entra';
}

const KEY = 'edgekv.session';
const PKCE = 'edgekv.pkce';

export function current(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const s = JSON.parse(raw) as Session;
  if (s.expiresAt < Date.now() + 30_000) { sessionStorage.removeItem(KEY); return null; }
  return s;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(json) as Record<string, unknown>;
}

function store(token: string, expiresIn: number, mode: Session['mode'], fallbackName: string): Session {
  const c = claims(token);
  const roles = (Array.isArray(c.roles) ? c.roles as string[] : [])
    .filter(r => r.startsWith('EdgeKv.')).map(r => r.slice('EdgeKv.'.length))
    .filter((r): r is Role => r === 'SecurityTeam' || r === 'Operator' || r === 'Auditor');
  const who = String(c.preferred_username ?? c.name ?? fallbackName);
  const s: Session = { token, expiresAt: Date.now() + expiresIn * 1000, who, roles, mode };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export async function signInLocal(config: Config, principal: string): Promise<Session> {
  if (!config.local) throw new Error('This host offers no local sign-in.');
  const response = await fetch(config.local.tokenUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ principal }),
  });
  if (!response.ok) throw new Error(`Sign-in failed (${response.status}).`);
  const body = await response.json() as { access_token: string; expires_in: number };
  return store(body.access_token, body.expires_in, 'local', principal);
}

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function endpoints(authority: string): { authorize: string; token: string } {
  const root = authority.replace(/\/+$/, '').replace(/\/v2\.0$/, '');
  return { authorize: `${root}/oauth2/v2.0/authorize`, token: `${root}/oauth2/v2.0/token` };
}

function redirectUri(): string {
  return location.origin + location.pathname;
}

export async function signInEntra(config: Config): Promise<void> {
  if (!config.entra) throw new Error('Entra ID sign-in is not configured.');
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, hash: location.hash }));
  const q = new URLSearchParams({
    client_id: config.entra.clientId, response_type: 'code', redirect_uri: redirectUri(), response_mode: 'query',
    scope: `${config.entra.scope} openid profile`, code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  location.assign(`${endpoints(config.entra.authority).authorize}?${q}`);
}

/** Completes an Entra ID redirect (?code=&state=) if this page load is one; returns the session. */
export async function completeEntraRedirect(config: Config): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code || !config.entra) return null;
  const saved = JSON.parse(sessionStorage.getItem(PKCE) ?? 'null') as { verifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', redirectUri() + (saved?.hash ?? ''));
  if (!saved || saved.state !== params.get('state')) throw new Error('The sign-in answer does not match this tab (state).');
  const response = await fetch(endpoints(config.entra.authority).token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: config.entra.clientId, grant_type: 'authorization_code', code, redirect_uri: redirectUri(),
      code_verifier: saved.verifier, scope: `${config.entra.scope} openid profile`,
    }),
  });
  if (!response.ok) throw new Error(`Entra ID refused the code (${response.status}).`);
  const body = await response.json() as { access_token: string; expires_in: number };
  return store(body.access_token, body.expires_in, 'entra', 'Entra ID user');
}

/** What each role may see and do (README's role table; the API enforces the same). */
export const can = {
  audit: (s: Session) => s.roles.some(r => r === 'SecurityTeam' || r === 'Auditor'),
  revealSecrets: (s: Session) => s.roles.includes('SecurityTeam'),
  heal: (s: Session) => s.roles.some(r => r === 'SecurityTeam' || r === 'Operator'),
  activate: (s: Session) => s.roles.some(r => r === 'SecurityTeam' || r === 'Operator'),
  delete: (s: Session) => s.roles.includes('SecurityTeam'),
  manageOrchestrations: (s: Session) => s.roles.some(r => r === 'SecurityTeam' || r === 'Operator'),
  // Keys: the security team manages them; auditors read their metadata; operators see nothing of them.
  readKeys: (s: Session) => s.roles.some(r => r === 'SecurityTeam' || r === 'Auditor'),
  manageKeys: (s: Session) => s.roles.includes('SecurityTeam'),
  // Removing or accepting an access policy EdgeKv did not grant (AccessManage): the security team only.
  manageAccess: (s: Session) => s.roles.includes('SecurityTeam'),
};
