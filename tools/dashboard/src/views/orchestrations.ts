import { call, durable, get, type Instance } from '../api';
import { can, type Session } from '../auth';
import { badge, clear, h, message, section, table, when } from '../dom';
import { alive, currentGeneration, sleep } from '../live';
import { describe, finished } from '../progress';

const STATUSES = ['Running', 'Pending', 'Completed', 'Failed', 'Terminated', 'Suspended'];

export async function orchestrations(main: HTMLElement, _s: Session): Promise<void> {
  const g = currentGeneration();
  main.append(h('h1', {}, 'Orchestrations'));
  const name = h('input', { id: 'o-name', placeholder: 'e.g. Activation' }) as HTMLInputElement;
  const prefix = h('input', { id: 'o-prefix', placeholder: 'e.g. activation-' }) as HTMLInputElement;
  const status = h('select', { id: 'o-status' }, h('option', { value: '' }, 'any'), ...STATUSES.map(x => h('option', { value: x }, x))) as HTMLSelectElement;
  const from = h('input', { id: 'o-from', type: 'datetime-local' }) as HTMLInputElement;
  const to = h('input', { id: 'o-to', type: 'datetime-local' }) as HTMLInputElement;
  const body = h('div');
  const info = h('span', { 'aria-live': 'polite' });
  const prev = h('button', { type: 'button' }, '← Previous') as HTMLButtonElement;
  const next = h('button', { type: 'button' }, 'Next →') as HTMLButtonElement;
  // The management API pages with the x-ms-continuation-token header; keep the token of each page visited.
  const tokens: (string | null)[] = [null];
  let index = 0;
  let nextToken: string | null = null;

  async function load(): Promise<void> {
    const q = new URLSearchParams({ top: '50' });
    if (status.value) q.set('runtimeStatus', status.value);
    if (prefix.value) q.set('instanceIdPrefix', prefix.value);
    if (from.value) q.set('createdTimeFrom', new Date(from.value).toISOString());
    if (to.value) q.set('createdTimeTo', new Date(to.value).toISOString());
    const headers: Record<string, string> = {};
    if (tokens[index]) headers['x-ms-continuation-token'] = tokens[index]!;
    try {
      const r = await call(`${durable}/instances?${q}`, { headers });
      nextToken = r.headers.get('x-ms-continuation-token');
      const list = (await r.json() as Instance[]).filter(i => !name.value || i.name.toLowerCase().includes(name.value.toLowerCase()));
      if (!alive(g)) return;
      clear(body);
      body.append(table(['Instance', 'Orchestration', 'Status', 'Progress', 'Created', 'Last updated'], list.map(i => [
        h('a', { href: `#/orchestrations/${encodeURIComponent(i.instanceId)}` }, i.instanceId), i.name, statusBadge(i.runtimeStatus),
        describe(i).step ? `step ${describe(i).step} of ${describe(i).of}` : describe(i).text, when(i.createdTime), when(i.lastUpdatedTime)]), { 'data-testid': 'instances' }));
      info.textContent = `Page ${index + 1} · ${list.length} shown`;
      prev.disabled = index === 0;
      next.disabled = !nextToken;
    } catch (e) { clear(body); body.append(message((e as Error).message)); }
  }
  prev.addEventListener('click', () => { index--; void load(); });
  next.addEventListener('click', () => { if (nextToken) { tokens.splice(index + 1, tokens.length, nextToken); index++; void load(); } });
  main.append(section('Instances', 'instances-card',
    h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => { e.preventDefault(); tokens.splice(0, tokens.length, null); index = 0; void load(); } },
      h('label', { for: 'o-name' }, 'Name'), name, h('label', { for: 'o-prefix' }, 'Instance id starts with'), prefix,
      h('label', { for: 'o-status' }, 'Status'), status, h('label', { for: 'o-from' }, 'Created from'), from, h('label', { for: 'o-to' }, 'to'), to,
      h('button', { type: 'submit' }, 'Apply')),
    body, h('div', { class: 'pager' }, prev, info, next)));
  await load();
}

function statusBadge(s: string): HTMLElement {
  return badge(s, s === 'Completed' ? 'ok' : s === 'Failed' || s === 'Terminated' ? 'critical' : 'neutral');
}

interface HistoryEvent { eventType: string; timestamp: string; name?: string; taskId?: number; taskScheduledId?: number; timerId?: number; fireAt?: string; reason?: string; failureDetails?: { errorMessage?: string } }
interface Span { label: string; kind: string; start: number; end: number | null; outcome: string }

/** Pairs scheduled work with its completion: each activity, timer, sub-orchestration and event becomes one bar. */
function spans(events: HistoryEvent[]): { spans: Span[]; t0: number; t1: number } {
  const t = (e: HistoryEvent) => Date.parse(e.timestamp);
  const open = new Map<string, Span>();
  const out: Span[] = [];
  let t0 = Infinity; let t1 = -Infinity;
  for (const e of events) {
    const at = t(e); t0 = Math.min(t0, at); t1 = Math.max(t1, at);
    switch (e.eventType) {
      case 'TaskScheduled': case 'SubOrchestrationInstanceCreated': {
        const sp = { label: e.name ?? '', kind: e.eventType === 'TaskScheduled' ? 'activity' : 'sub-orchestration', start: at, end: null, outcome: 'running' };
        open.set(`${sp.kind}:${e.taskId}`, sp); out.push(sp); break;
      }
      case 'TaskCompleted': case 'TaskFailed': case 'SubOrchestrationInstanceCompleted': case 'SubOrchestrationInstanceFailed': {
        const kind = e.eventType.startsWith('Task') ? 'activity' : 'sub-orchestration';
        const sp = open.get(`${kind}:${e.taskScheduledId}`);
        if (sp) { sp.end = at; sp.outcome = e.eventType.endsWith('Failed') ? 'failed' : 'completed'; }
        break;
      }
      case 'TimerCreated': {
        const sp = { label: `timer until ${when(e.fireAt)}`, kind: 'timer', start: at, end: null, outcome: 'waiting' };
        open.set(`timer:${e.taskId}`, sp); out.push(sp); break;
      }
      case 'TimerFired': { const sp = open.get(`timer:${e.timerId}`); if (sp) { sp.end = at; sp.outcome = 'fired'; } break; }
      case 'EventRaised': out.push({ label: `event ${e.name}`, kind: 'event', start: at, end: at, outcome: 'received' }); break;
      case 'ExecutionStarted': case 'ExecutionCompleted': case 'ExecutionTerminated': case 'ExecutionSuspended': case 'ExecutionResumed':
        out.push({ label: e.eventType.replace('Execution', '') + (e.reason ? `: ${e.reason}` : ''), kind: 'orchestration', start: at, end: at,
          outcome: e.eventType === 'ExecutionTerminated' ? 'failed' : 'completed' });
        break;
      default: break;
    }
  }
  return { spans: out, t0, t1 };
}

function timeline(events: HistoryEvent[], running: boolean): HTMLElement {
  const { spans: list, t0, t1 } = spans(events);
  const end = running ? Math.max(t1, Date.now()) : t1;
  const total = Math.max(end - t0, 1);
  return h('div', { class: 'timeline', 'data-testid': 'timeline', role: 'list' }, ...list.map(sp => {
    const left = ((sp.start - t0) / total) * 100;
    const width = Math.max((((sp.end ?? end) - sp.start) / total) * 100, 0.6);
    const secs = sp.end === null ? 'running' : `${((sp.end - sp.start) / 1000).toFixed(2)} s`;
    return h('div', { class: 'tl-row', role: 'listitem' },
      h('span', { class: 'tl-label', title: sp.label }, sp.label),
      h('span', { class: 'tl-track' }, h('span', { class: `tl-bar ${sp.kind} ${sp.outcome}`, style: `left:${left.toFixed(2)}%;width:${Math.min(width, 100 - left).toFixed(2)}%` })),
      h('span', { class: 'tl-time' }, `+${((sp.start - t0) / 1000).toFixed(2)} s · ${secs}`));
  }));
}

export async function instance(main: HTMLElement, s: Session, id: string): Promise<void> {
  const g = currentGeneration();
  const enc = encodeURIComponent(id);
  main.append(h('div', { class: 'title' }, h('h1', {}, id), h('a', { class: 'button', href: '#/orchestrations' }, 'All instances')));
  const head = h('div');
  const actions = h('div', { class: 'actions' });
  const notes = h('div');
  const hist = section('History', 'history');
  main.append(section('Status', 'status', head, actions, notes), hist);
  const act = (label: string, path: string, method = 'POST', confirmText?: string) =>
    h('button', { type: 'button', 'data-action': label.toLowerCase(), class: label === 'Purge' || label === 'Terminate' ? 'danger' : '', onclick: async () => {
      if (confirmText && !confirm(confirmText)) return;
      try {
        const r = await call(`${durable}/instances/${enc}${path}`, { method });
        if (label === 'Purge') { location.hash = '#/orchestrations'; return; }
        if (label === 'Restart') {
          const body = await r.json() as { id?: string };
          if (body.id && body.id !== id) { location.hash = `#/orchestrations/${encodeURIComponent(body.id)}`; return; }
        }
        // Render afresh under a new generation, so this page's poller stops.
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) { notes.append(message((e as Error).message)); }
    } }, label);

  while (alive(g)) {
    const st = await get<Instance>(`${durable}/instances/${enc}?showHistory=true&showHistoryOutput=false&showInput=false`);
    if (!alive(g)) return;
    const d = describe(st);
    clear(head);
    head.append(h('dl', { class: 'facts', 'data-testid': 'instance-status' },
      h('dt', {}, 'Orchestration'), h('dd', {}, st.name),
      h('dt', {}, 'Status'), h('dd', { 'data-testid': 'runtime-status' }, statusBadge(st.runtimeStatus)),
      h('dt', {}, 'Custom status'), h('dd', { 'data-testid': 'custom-status' }, d.step ? `Step ${d.step} of ${d.of}: ${d.text}` : d.text || '—'),
      h('dt', {}, 'Created'), h('dd', {}, when(st.createdTime)),
      h('dt', {}, 'Last updated'), h('dd', {}, when(st.lastUpdatedTime)),
      h('dt', {}, 'Output'), h('dd', {}, h('code', { class: 'output' }, st.output === null || st.output === undefined ? '—' : JSON.stringify(st.output)))));
    clear(actions);
    if (can.manageOrchestrations(s)) {
      if (finished(st.runtimeStatus)) actions.append(act('Restart', '/restart?restartWithNewInstanceId=false'), act('Purge', '', 'DELETE', `Purge ${id} and its history?`));
      else actions.append(act('Terminate', '/terminate?reason=terminated%20from%20the%20dashboard', 'POST', `Terminate ${id}?`));
    }
    clear(hist);
    hist.append(h('h2', { id: 'history-h' }, 'History'), timeline(st.historyEvents as unknown as HistoryEvent[] ?? [], !finished(st.runtimeStatus)));
    if (finished(st.runtimeStatus)) return;
    await sleep(1500);
  }
}
