import { all, durable, get, post, type AlertTimeline, type Instance, type Sweep } from '../api';
import { can, type Session } from '../auth';
import { chart, hourLabel, palette, timeLabel } from '../charts';
import { badge, clear, h, message, table, when } from '../dom';
import { alive, sleep } from '../live';

// The overview's health cards: the last sweep (live while one runs), the sweep history as a chart, and alerts raised
// and resolved per hour. Every number comes from the API as it is; nothing is recomputed here.

/** Sweeps drawn at most (the newest); the history API keeps up to its retention. */
const SWEEP_POINTS = 200;

interface SweepOutput { checked?: number; skipped?: number; activeFaults?: number; raised?: number; resolved?: number; armReads?: number; dataPlaneReads?: number }

export async function lastSweep(card: HTMLElement, s: Session, g: number, onFinished: () => void): Promise<void> {
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
      h('dt', {}, 'Raised / resolved'), h('dd', {}, `${out.raised ?? '—'} / ${out.resolved ?? '—'}`),
      h('dt', {}, 'Azure reads (Resource Manager / vaults)'), h('dd', {}, `${out.armReads ?? '—'} / ${out.dataPlaneReads ?? '—'}`)),
      h('a', { href: `#/orchestrations/health-sweep` }, 'Its orchestration and timeline'));
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
        if (alive(g)) onFinished();
      } catch (e) { body.append(message((e as Error).message)); }
      button.disabled = false;
    });
    card.append(button);
  }
}

/** The sweeps of the last seven days (GET /api/health/sweeps, followed by nextLink): checked, faulty, raised and resolved per sweep. */
export function sweepHistory(card: HTMLElement, g: number): { reload: () => Promise<void> } {
  const body = h('div', { 'aria-live': 'polite' }, message('Loading…', 'info'));
  card.append(body);
  async function reload(): Promise<void> {
    try {
      const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
      const sweeps = (await all<Sweep>(`/api/health/sweeps?since=${encodeURIComponent(since)}&top=1000`, 10_000)).slice(-SWEEP_POINTS);
      if (!alive(g)) return;
      clear(body);
      if (sweeps.length === 0) { body.append(h('p', { class: 'muted' }, 'No sweep recorded in the last seven days.')); return; }
      const series = (label: string, pick: (x: Sweep) => number, color: string) =>
        ({ label, data: sweeps.map(pick), borderColor: color, backgroundColor: color, tension: 0, pointRadius: 3 });
      const plot = chart('Checked, faulty, raised and resolved per sweep', {
        type: 'line',
        data: {
          labels: sweeps.map(x => timeLabel(x.startedAt)),
          datasets: [
            series('checked', x => x.checked, palette[0]!),
            series('faulty', x => x.faulty, palette[1]!),
            series('raised', x => x.raised, palette[3]!),
            series('resolved', x => x.resolved, palette[2]!),
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      plot.setAttribute('data-testid', 'sweeps-chart');
      const recent = [...sweeps].reverse().slice(0, 10);
      body.append(plot, h('details', {},
        h('summary', {}, `The last ${recent.length} sweeps as a table (${sweeps.length} drawn)`),
        table(['Started (UTC)', 'Took', 'Checked', 'Faulty', 'Unchecked pages', 'Raised', 'Resolved', 'Resource Manager reads', 'Vault reads', 'Trigger'], recent.map(x => [
          when(x.startedAt), `${x.durationSeconds.toFixed(1)} s`, x.checked, x.faulty, x.uncheckedPages, x.raised, x.resolved, x.armReads, x.dataPlaneReads, x.trigger,
        ]), { 'data-testid': 'sweeps-table' })));
    } catch (e) {
      if (alive(g)) body.replaceChildren(message((e as Error).message));
    }
  }
  void reload();
  return { reload };
}

/** Alerts raised and resolved per hour over the last 48 hours (GET /api/alerts/timeline). */
export async function alertTrend(card: HTMLElement, g: number): Promise<void> {
  try {
    const timeline = await get<AlertTimeline>('/api/alerts/timeline?interval=PT1H');
    if (!alive(g)) return;
    card.replaceChildren(card.firstChild!);
    if (timeline.raised + timeline.resolved === 0) { card.append(h('p', { class: 'muted' }, 'No alert raised or resolved in the last 48 hours.')); return; }
    const plot = chart('Alerts raised and resolved per hour', {
      type: 'bar',
      data: {
        labels: timeline.buckets.map(b => hourLabel(b.start)),
        datasets: [
          { label: 'raised', data: timeline.buckets.map(b => b.raised), backgroundColor: palette[1] },
          { label: 'resolved', data: timeline.buckets.map(b => b.resolved), backgroundColor: palette[2] },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    plot.setAttribute('data-testid', 'trend-chart');
    card.append(plot, h('p', { class: 'muted', 'data-testid': 'trend-totals' }, `${timeline.raised} raised, ${timeline.resolved} resolved in the last 48 hours.`));
  } catch (e) {
    if (alive(g)) card.append(message((e as Error).message));
  }
}
