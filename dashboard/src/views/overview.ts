import { all, durable, get, post, relative, severityRank, type Alert, type Instance, type Page, type Resource } from '../api';
import { can, type Session } from '../auth';
import { chart, hourLabel, palette } from '../charts';
import { badge, clear, h, message, section, table, when } from '../dom';
import { alive, currentGeneration, sleep } from '../live';

const PAGE = 50;
// A filter reads at most this many API pages per click, so a rare match in a huge fleet cannot stall the page.
const SCAN_LIMIT = 20;

export async function overview(main: HTMLElement, s: Session): Promise<void> {
  const g = currentGeneration();
  main.append(h('h1', {}, 'Fleet overview'));
  const counts = h('div', { class: 'tiles', 'data-testid': 'severity-counts' }, message('Loading alerts…', 'info'));
  const sweep = section('Last health sweep', 'sweep', message('Loading…', 'info'));
  const trend = section('Alerts raised and resolved per hour', 'trend');
  const fleet = section('Resources', 'fleet');
  main.append(counts, h('div', { class: 'grid2' }, sweep, trend), fleet);

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
  void lastSweep(sweep, s, g);
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
        w ? h('span', {}, badge(w.severity, w.severity), ' ', w.kind) : r.vault ? badge('Healthy', 'ok') : h('span', { class: 'muted' }, '—'),
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

interface SweepOutput { checked?: number; skipped?: number; activeFaults?: number; raised?: number; resolved?: number }

async function lastSweep(card: HTMLElement, s: Session, g: number): Promise<void> {
  const body = h('div');
  card.replaceChildren(card.firstChild!, body);
  async function show(): Promise<Instance | null> {
    // Listed by id prefix, not read by id: no sweep yet is an empty list, not a 404 in the console.
    const found = await get<Instance[]>(`${durable}/instances?instanceIdPrefix=health-sweep&top=1&showInput=false`);
    const listed = found.find(i => i.instanceId === 'health-sweep');
    // The list leaves the output out; the instance itself has it.
    const status: Instance | null = listed ? await get<Instance>(`${durable}/instances/health-sweep`) : null;
    if (!alive(g)) return status;
    clear(body);
    if (!status) { body.append(h('p', { class: 'muted' }, 'No sweep has run yet.')); return null; }
    const out = (status.output ?? {}) as SweepOutput;
    const seconds = (Date.parse(status.lastUpdatedTime) - Date.parse(status.createdTime)) / 1000;
    body.append(h('dl', { class: 'facts', 'data-testid': 'last-sweep' },
      h('dt', {}, 'Status'), h('dd', {}, badge(status.runtimeStatus, status.runtimeStatus === 'Completed' ? 'ok' : 'neutral')),
      h('dt', {}, 'Started'), h('dd', {}, when(status.createdTime)),
      h('dt', {}, 'Took'), h('dd', {}, status.runtimeStatus === 'Running' ? 'running…' : `${seconds.toFixed(1)} s`),
      h('dt', {}, 'Checked'), h('dd', {}, String(out.checked ?? '—')),
      h('dt', {}, 'Faulty'), h('dd', {}, String(out.activeFaults ?? '—')),
      h('dt', {}, 'Raised / resolved'), h('dd', {}, `${out.raised ?? '—'} / ${out.resolved ?? '—'}`)),
      h('a', { href: `#/orchestrations/health-sweep` }, 'Sweep history and timeline'));
    return status;
  }
  await show();
  if (can.heal(s)) {
    const button = h('button', { type: 'button', 'data-testid': 'sweep-now' }, 'Run a sweep now') as HTMLButtonElement;
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await post('/api/health/sweep');
        while (alive(g)) {
          const st = await show();
          if (!st || !['Running', 'Pending'].includes(st.runtimeStatus)) break;
          await sleep(1000);
        }
      } catch (e) { body.append(message((e as Error).message)); }
      button.disabled = false;
    });
    card.append(button);
  }
}

async function alertTrend(card: HTMLElement, g: number): Promise<void> {
  const alerts = await all<Alert>('/api/alerts?top=1000', 10_000);
  if (!alive(g)) return;
  const raised = new Map<string, number>();
  const resolved = new Map<string, number>();
  const hour = (iso: string) => new Date(Math.floor(Date.parse(iso) / 3_600_000) * 3_600_000).toISOString();
  for (const a of alerts) {
    raised.set(hour(a.firstSeen), (raised.get(hour(a.firstSeen)) ?? 0) + 1);
    if (a.resolvedAt) resolved.set(hour(a.resolvedAt), (resolved.get(hour(a.resolvedAt)) ?? 0) + 1);
  }
  const hours = [...new Set([...raised.keys(), ...resolved.keys()])].sort().slice(-48);
  if (hours.length === 0) { card.append(h('p', { class: 'muted' }, 'No alert has been raised yet.')); return; }
  card.append(chart('Alerts raised and resolved per hour', {
    type: 'bar',
    data: {
      labels: hours.map(hourLabel),
      datasets: [
        { label: 'raised', data: hours.map(x => raised.get(x) ?? 0), backgroundColor: palette[1] },
        { label: 'resolved', data: hours.map(x => resolved.get(x) ?? 0), backgroundColor: palette[2] },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }));
}
