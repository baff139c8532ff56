import './style.css';
import { can, completeEntraRedirect, current, signInEntra, signInLocal, signOut, type Config, type Session } from './auth';
import { setApiBase } from './api';
import { clear, h, message } from './dom';
import { overview } from './views/overview';
import { security } from './views/security';
import { activation } from './views/activation';
import { orchestrations, instance } from './views/orchestrations';
import { auditTrail } from './views/audit';
import { key, keys } from './views/keys';
import { alive, nextGeneration } from './live';

// Hash routes keep the site static: it works at / of EdgeKv's host or under any path of a static web app.
interface Route { pattern: RegExp; nav?: string; allowed: (s: Session) => boolean; render: (main: HTMLElement, s: Session, m: string[]) => Promise<void> | void }

const everyone = (s: Session) => s.roles.length > 0;
const routes: Route[] = [
  { pattern: /^#?\/?$/, nav: 'Overview', allowed: everyone, render: (m, s) => overview(m, s) },
  { pattern: /^#\/resources\/([^/]+)\/activation$/, allowed: can.activate, render: (m, s, p) => activation(m, s, decodeURIComponent(p[1]!)) },
  { pattern: /^#\/resources\/([^/]+)$/, allowed: everyone, render: (m, s, p) => security(m, s, decodeURIComponent(p[1]!)) },
  { pattern: /^#\/orchestrations$/, nav: 'Orchestrations', allowed: everyone, render: (m, s) => orchestrations(m, s) },
  { pattern: /^#\/orchestrations\/(.+)$/, allowed: everyone, render: (m, s, p) => instance(m, s, decodeURIComponent(p[1]!)) },
  { pattern: /^#\/keys$/, nav: 'Keys', allowed: can.readKeys, render: (m, s) => keys(m, s) },
  { pattern: /^#\/keys\/([^/]+)$/, allowed: can.readKeys, render: (m, s, p) => key(m, s, decodeURIComponent(p[1]!)) },
  { pattern: /^#\/audit$/, nav: 'Audit trail', allowed: can.audit, render: (m, s) => auditTrail(m, s) },
];
const navTargets: Record<string, string> = { Overview: '#/', Orchestrations: '#/orchestrations', Keys: '#/keys', 'Audit trail': '#/audit' };

let config: Config;
const main = document.getElementById('main')!;
const top = document.getElementById('top')!;

function header(s: Session | null): void {
  clear(top);
  const links = s ? routes.filter(r => r.nav && r.allowed(s)).map(r =>
    h('a', { href: navTargets[r.nav!]!, 'data-nav': r.nav!, 'aria-current': routeOf(location.hash) === r ? 'page' : null }, r.nav!)) : [];
  top.append(h('nav', { class: 'bar', 'aria-label': 'Main' },
    h('a', { href: '#/', class: 'brand' }, 'EdgeKv'),
    h('div', { class: 'links' }, ...links),
    s ? h('div', { class: 'who' },
      h('span', { 'data-testid': 'who' }, `${s.who} · ${s.roles.join(', ') || 'no EdgeKv role'}`),
      h('button', { type: 'button', class: 'link', onclick: () => { signOut(); void render(); } }, 'Sign out')) : null));
}

function routeOf(hash: string): Route | undefined {
  return routes.find(r => r.pattern.test(hash || '#/'));
}

function signInPage(): void {
  clear(main);
  const error = h('div');
  const run = (f: () => Promise<unknown>) => async () => {
    clear(error);
    try { await f(); await render(); } catch (e) { error.append(message((e as Error).message)); }
  };
  main.append(h('section', { class: 'card signin', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, 'Sign in to EdgeKv'),
    config.local ? h('div', {},
      h('p', {}, 'Local mode: the emulator\'s token service plays Microsoft Entra ID. Pick a test principal.'),
      h('div', { class: 'actions' }, ...config.local.principals.map(p =>
        h('button', { type: 'button', 'data-principal': p.name, onclick: run(() => signInLocal(config, p.name)) },
          `${p.name} (${p.roles.join(', ')})`)))) : null,
    config.entra ? h('div', {},
      h('p', {}, 'Sign in with your organisation\'s Microsoft Entra ID account.'),
      h('button', { type: 'button', onclick: run(() => signInEntra(config)) }, 'Sign in with Microsoft')) : null,
    !config.local && !config.entra ? message('config.json names no way to sign in (see tools/dashboard/README.md).') : null,
    error));
}

async function render(): Promise<void> {
  const id = nextGeneration();
  const s = current();
  header(s);
  if (!s) { signInPage(); return; }
  const route = routeOf(location.hash);
  clear(main);
  if (!route) { main.append(message('No such page.')); return; }
  if (!route.allowed(s)) { main.append(message('Your role does not give access to this page.')); return; }
  const m = location.hash.match(route.pattern) ?? [];
  try {
    await route.render(main, s, [...m]);
  } catch (e) {
    if (alive(id)) main.append(message((e as Error).message));
  }
}

async function boot(): Promise<void> {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json: ${response.status}`);
    config = await response.json() as Config;
    setApiBase(config.apiBase ?? '');
    await completeEntraRedirect(config);
  } catch (e) {
    main.append(message(`The dashboard could not start: ${(e as Error).message}`));
    return;
  }
  window.addEventListener('hashchange', () => void render());
  window.addEventListener('edgekv:unauthenticated', () => { signOut(); void render(); });
  await render();
}

void boot();
