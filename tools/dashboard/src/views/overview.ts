import { all, get, relative, severityRank, type Alert, type Page, type Resource } from '../api';
import { can, type Session } from '../auth';
import { badge, clear, h, message, section, table } from '../dom';
import { alive, currentGeneration } from '../live';
import { alertTrend, lastSweep, sweepHistory } from './health';

const PAGE = 50;
// A filter reads at most this many API pages per click, so a rare match in a huge fleet cannot stall the page.
const SCAN_LIMIT = 20;

export async function overview(main: HTMLElement, s: Session): Promise<void> {
  const g = currentGeneration();
  main.append(h('h1', {}, 'Fleet overview'));
  const counts = h('div', { class: 'tiles', 'data-testid': 'severity-counts' }, message('Loading alerts…', 'info'));
  const sweep = section('Last health sweep', 'sweep', message('Loading…', 'info'));
  const sweeps = section('Sweep results', 'sweeps');
  const trend = section('Alerts raised and resolved per hour', 'trend');
  const fleet = section('Resources', 'fleet');
  main.append(counts, h('div', { class: 'grid2' }, sweep, sweeps), trend, fleet);

  const active = await all<Alert>('/api/alerts?state=Active&top=1000');
  if (!alive(g)) return;
  const worst = new Map<string, Alert>();
  for (const a of active) {
    const w = worst.get(a.resource);
    if (!w || severityRank[a.severity]! > severityRank[w.severity]!) worst.set(a.resource, a);
  }
  clear(counts);
  for (const sev of ['Critical', 'Error', 'Warning'] as const) {
    const n = active.filter(a => a.severity === sev).length;
    counts.append(h('div', { class: `tile ${sev.toLowerCase()}`, 'data-severity': sev },
      h('span', { class: 'n', 'data-testid': `count-${sev}` }, n), h('span', {}, `${sev} alerts active`)));
  }
  counts.append(h('div', { class: 'tile' }, h('span', { class: 'n', 'data-testid': 'count-affected' }, worst.size), h('span', {}, 'resources with active alerts')));

  fleetTable(fleet, s, worst, g);
  const history = sweepHistory(sweeps, g);
  void lastSweep(sweep, s, g, () => { void history.reload(); void alertTrend(trend, g); });
  void alertTrend(trend, g);
}

function matches(r: Resource, worst: Map<string, Alert>, text: string, state: string, severity: string): boolean {
  if (text && !r.name.toLowerCase().includes(text) && !(r.vault?.name ?? '').toLowerCase().includes(text)) return false;
  if (state && r.activationState !== state) return false;
  const w = worst.get(r.name);
  if (severity === 'any' && !w) return false;
  if (severity && severity !== 'any' && w?.severity !== severity) return false;
  return true;
}

function fleetTable(card: HTMLElement, s: Session, worst: Map<string, Alert>, g: number): void {
  const text = h('input', { type: 'search', id: 'f-text', placeholder: 'name or vault contains' });
  const state = h('select', { id: 'f-state' }, ...['', 'NotStarted', 'Provisioning', 'KeyIssued', 'Failed'].map(v => h('option', { value: v }, v || 'any')));
  const severity = h('select', { id: 'f-sev' }, h('option', { value: '' }, 'any'), h('option', { value: 'any' }, 'with an active alert'),
    ...['Critical', 'Error', 'Warning'].map(v => h('option', { value: v }, v)));
  const body = h('div');
  const info = h('span', { 'data-testid': 'page-info', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', 'data-testid': 'prev' }, '← Previous') as HTMLButtonElement;
  const next = h('button', { type: 'button', 'data-testid': 'next' }, 'Next →') as HTMLButtonElement;
  const starts: string[] = [`/api/resources?top=${PAGE}`];
  let index = 0;
  let nextStart: string | null = null;

  async function load(): Promise<void> {
    prev.disabled = next.disabled = true;
    const t = text.value.trim().toLowerCase();
    const rows: Resource[] = [];
    const filtering = Boolean(t || state.value || severity.value);
    // Unfiltered, one API page is one screen; filtered, read the API's largest pages to find matches fast.
    let link: string | null = filtering ? starts[index]!.replace(`top=${PAGE}`, 'top=1000') : starts[index]!;
    let scanned = 0;
    nextStart = null;
    while (link && rows.length < PAGE && scanned < SCAN_LIMIT) {
      const page: Page<Resource> = await get<Page<Resource>>(link);
      scanned++;
      let stoppedAt: string | null = null;
      for (const r of page.value) {
        if (!matches(r, worst, t, state.value, severity.value)) continue;
        rows.push(r);
        if (rows.length === PAGE) { stoppedAt = r.name; break; }
      }
      const apiNext = page.nextLink ? relative(page.nextLink) : null;
      // Stopped inside a page: the next page starts after the last row shown (the API pages by name).
      link = stoppedAt && stoppedAt !== page.value[page.value.length - 1]?.name
        ? `/api/resources?top=${filtering ? 1000 : PAGE}&continuationToken=${encodeURIComponent(stoppedAt)}`
        : apiNext;
      if (rows.length === PAGE) nextStart = link;
    }
    if (rows.length < PAGE && link) nextStart = link; // the scan limit stopped us: let the user go on
    if (!alive(g)) return;
    clear(body);
    body.append(table(['Resource', 'Activation', 'Device', 'Vault', 'Worst active alert', ''], rows.map(r => {
      const w = worst.get(r.name);
      return [
        h('a', { href: `#/resources/${encodeURIComponent(r.name)}`, 'data-resource': r.name }, r.name),
        badge(r.activationState, r.activationState === 'KeyIssued' ? 'ok' : r.activationState === 'Failed' ? 'critical' : 'neutral'),
        r.deviceState,
        r.vault ? r.vault.name : h('span', { class: 'muted' }, r.preVaultIntegration ? 'none (pre-vault)' : 'not yet'),
        w ? h('span', { title: `${w.category} alert${w.principal ? ` about ${w.principal}` : ''}` }, badge(w.severity, w.severity), ' ', w.kind) : r.vault ? badge('Healthy', 'ok') : h('span', { class: 'muted' }, '—'),
        can.activate(s) ? h('a', { href: `#/resources/${encodeURIComponent(r.name)}/activation` }, 'Activation') : '',
      ];
    }), { 'data-testid': 'resources' }));
    info.textContent = `Page ${index + 1} · ${rows.length} shown${scanned > 1 ? ` · ${scanned} API pages read` : ''}`;
    prev.disabled = index === 0;
    next.disabled = !nextStart;
  }

  prev.addEventListener('click', () => { index--; void load(); });
  next.addEventListener('click', () => { if (nextStart) { starts.splice(index + 1, starts.length, nextStart); index++; void load(); } });
  const apply = () => { starts.length = 1; index = 0; void load(); };
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => { e.preventDefault(); apply(); } },
    h('label', { for: 'f-text' }, 'Filter'), text,
    h('label', { for: 'f-state' }, 'Activation'), state,
    h('label', { for: 'f-sev' }, 'Alert'), severity,
    h('button', { type: 'submit' }, 'Apply'));
  state.addEventListener('change', apply);
  severity.addEventListener('change', apply);
  card.append(form, body, h('div', { class: 'pager' }, prev, info, next));
  void load().catch(e => card.append(message((e as Error).message)));
}
