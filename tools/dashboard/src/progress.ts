import { durable, get, relative, type Instance } from './api';
import { badge, clear, h, when } from './dom';
import { alive, sleep } from './live';

// The healing flows report a sentence as custom status; their order is fixed by the orchestrators, so the page can
// say which step of how many it is. Activation reports {step, of, description} itself.
const steps: Record<string, string[]> = {
  RecoverVault: ['Inspecting the vault', 'Recovering vault|Creating the new vault', 'Locking the vault', 'Audit storage account',
    'Granting the identity', 'Waiting for the device'],
  RecoverIdentityAccess: ['Enabling the system-assigned identity', 'Granting the identity'],
  RotateKey: ['Creating version', 'Importing version'],
};

export function describe(status: Instance): { text: string; step?: number; of?: number } {
  const c = status.customStatus as { step?: number; of?: number; description?: string } | string | null;
  if (c && typeof c === 'object') return { text: c.description ?? '', step: c.step, of: c.of };
  const text = typeof c === 'string' ? c : '';
  const known = steps[status.name];
  const i = known?.findIndex(p => p.split('|').some(x => text.startsWith(x))) ?? -1;
  return i >= 0 ? { text, step: i + 1, of: known!.length } : { text };
}

export const finished = (s: string) => !['Running', 'Pending', 'Suspended'].includes(s);

/** Polls an instance (by check-status URI or id) and shows its status live until it ends; returns the final status. */
export async function follow(box: HTMLElement, statusUri: string, g: number, onUpdate?: (s: Instance) => void): Promise<Instance | null> {
  const path = /^(\/|https?:)/.test(statusUri) ? relative(statusUri) : `${durable}/instances/${encodeURIComponent(statusUri)}`;
  const bar = h('progress', { max: 1, value: 0 }) as HTMLProgressElement;
  const line = h('span', { 'data-testid': 'progress-text' });
  const state = h('span');
  clear(box);
  box.append(h('div', { class: 'progress', 'aria-live': 'polite' }, state, ' ', line, bar));
  while (alive(g)) {
    const s = await get<Instance>(path);
    const d = describe(s);
    clear(state);
    state.append(badge(s.runtimeStatus, s.runtimeStatus === 'Completed' ? 'ok' : finished(s.runtimeStatus) ? 'critical' : 'neutral'));
    line.textContent = d.step ? `Step ${d.step} of ${d.of}: ${d.text}` : d.text || (finished(s.runtimeStatus) ? `ended ${when(s.lastUpdatedTime)}` : 'starting…');
    if (d.step && d.of) { bar.max = d.of; bar.value = finished(s.runtimeStatus) ? d.of : d.step - 1; }
    onUpdate?.(s);
    if (finished(s.runtimeStatus)) {
      bar.max = 1; bar.value = 1;
      box.setAttribute('data-finished', s.runtimeStatus);
      return s;
    }
    await sleep(700);
  }
  return null;
}
