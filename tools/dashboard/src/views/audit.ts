import { get, relative } from '../api';
import type { Session } from '../auth';
import { badge, clear, h, message, section, table, when } from '../dom';
import { alive, currentGeneration } from '../live';

interface AuditRecord { sequence: number; time: string; principal: string; role: string | null; device: string | null; operation: string; resource: string | null; secretName: string | null; clientAddress: string | null; result: string; status: number }

/** EdgeKv's own audit trail (GET /api/audit), newest filters first; for the security team and auditors. */
export async function auditTrail(main: HTMLElement, _s: Session): Promise<void> {
  const g = currentGeneration();
  main.append(h('h1', {}, 'Audit trail'));
  const op = h('input', { id: 'a-op', placeholder: 'e.g. SecretValueRead' }) as HTMLInputElement;
  const res = h('input', { id: 'a-res', placeholder: 'resource name' }) as HTMLInputElement;
  const body = h('div');
  const next = h('button', { type: 'button' }, 'More →') as HTMLButtonElement;
  let link: string | null = null;
  const rows: AuditRecord[] = [];
  async function load(reset: boolean): Promise<void> {
    if (reset) {
      rows.length = 0;
      const q = new URLSearchParams({ top: '100' });
      if (op.value) q.set('operation', op.value);
      if (res.value) q.set('resource', res.value);
      link = `/api/audit?${q}`;
    }
    if (!link) return;
    try {
      const page = await get<{ value: AuditRecord[]; nextLink: string | null }>(link);
      if (!alive(g)) return;
      rows.push(...page.value);
      link = page.nextLink ? relative(page.nextLink) : null;
      clear(body);
      body.append(table(['Time', 'Principal', 'Role', 'Operation', 'Resource', 'Secret', 'Result'], rows.map(r => [
        when(r.time), r.principal, r.role ?? r.device ?? '—', r.operation, r.resource ?? '—', r.secretName ?? '—', badge(r.result, r.result === 'Succeeded' ? 'ok' : 'critical')]),
      { 'data-testid': 'audit-table' }));
      next.disabled = !link;
    } catch (e) { clear(body); body.append(message((e as Error).message)); }
  }
  next.addEventListener('click', () => void load(false));
  main.append(section('Records', 'records',
    h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => { e.preventDefault(); void load(true); } },
      h('label', { for: 'a-op' }, 'Operation'), op, h('label', { for: 'a-res' }, 'Resource'), res, h('button', { type: 'submit' }, 'Apply')),
    body, next));
  await load(true);
}
