import { get, post, relative, type Instance } from '../api';
import { can, type Session } from '../auth';
import { chart, hourLabel, palette, timeLabel } from '../charts';
import { badge, clear, h, message, section, table, when } from '../dom';
import { alive, currentGeneration } from '../live';
import { follow } from '../progress';

// One alert model: the category follows from the kind (Health: an operator heals the resource; Security: who has access).
interface SummaryAlert { category: 'Health' | 'Security'; id: string; kind: string; severity: string; time: string; message: string; healing: string | null; principal: string | null }
interface Summary {
  resource: string; vaultName: string | null; vaultId: string | null; vaultUri: string | null; portalLink: string | null; vaultState: 'Present' | 'Deleted' | 'Purged';
  identity: Identity | null; locks: Lock[]; diagnostics: Diagnostic[]; alerts: SummaryAlert[];
}
interface Identity { enabled: boolean; principalId: string | null; tenantId: string | null; hasVaultAccess: boolean }
interface Lock { id: string; name: string; level: string; notes?: string | null }
interface Diagnostic { id?: string; name: string; storageAccountId?: string | null; categories?: string[]; categoryGroups?: string[] }
interface VaultNetwork { defaultAction: string; bypass: string; ipRules: string[] }
interface AuditStorage {
  id: string; name: string; allowSharedKeyAccess: boolean; allowBlobPublicAccess: boolean; minimumTlsVersion: string | null;
  immutabilityDays: number | null; immutabilityState: string | null; allowProtectedAppendWrites: boolean | null;
}
interface DiagnosticsView { value: Diagnostic[]; vaultNetwork: VaultNetwork | null; auditStorage: AuditStorage | null }
interface Secret { name: string; version: string | null; versions: number; enabled: boolean | null; created: string | null; updated: string | null; contentType: string | null; value: string | null }
interface Policy {
  objectId: string; who: string; secrets: string[]; keys: string[]; certificates: string[]; storage: string[]; flagged: boolean; reason: string | null;
  acceptedBy: string | null; acceptedAt: string | null;
}
interface AuditLog { time: string; operationName: string; resultType: string; httpStatusCode: number; callerObjectId: string | null; callerAppId: string | null; callerIpAddress: string; requestUri: string; id: string }
interface Insights {
  total: number; perHour: { hour: string; count: number }[]; perOperation: { operation: string; result: string; count: number }[]; perCaller: { caller: string; count: number }[];
  perHourByOperation: { hour: string; operation: string; result: string; count: number }[];
  metrics: PlatformMetrics | null;
}
interface MetricPoint { time: string; hits: number; latencyAverageMs: number | null; latencyMaxMs: number | null; resultsByClass: Record<string, number>; availability: number | null }
interface PlatformMetrics {
  interval: string; totalHits: number; resultsByClass: Record<string, number>; latencyAverageMs: number | null; latencyMaxMs: number | null;
  availability: number | null; points: MetricPoint[]; error: string | null;
}

/** The healing request for each alert kind (README, "What the sweep checks, and the alerts"). */
const healers: Record<string, { path: string; label: string }> = {
  VaultDeleted: { path: 'recoverVault', label: 'Recover key vault' },
  VaultLockMissing: { path: 'recoverVault', label: 'Repair key vault' },
  AuditStorageMissing: { path: 'recoverVault', label: 'Repair key vault' },
  DiagnosticSettingMissing: { path: 'recoverVault', label: 'Repair key vault' },
  IdentityMissing: { path: 'recoverIdentityAccess', label: 'Recover identity access' },
  IdentityDisabled: { path: 'recoverIdentityAccess', label: 'Recover identity access' },
  IdentityAccessMissing: { path: 'recoverIdentityAccess', label: 'Recover identity access' },
  ChannelIntegrityKeyMissing: { path: 'syncDeviceSecrets', label: 'Sync device secrets' },
};

export async function security(main: HTMLElement, s: Session, name: string): Promise<void> {
  const g = currentGeneration();
  const enc = encodeURIComponent(name);
  const summary = await get<Summary>(`/api/resources/${enc}/security`);
  if (!alive(g)) return;
  const rerender = () => { if (alive(g)) { clear(main); void security(main, s, name).catch(e => main.append(message((e as Error).message))); } };

  main.append(h('div', { class: 'title' },
    h('h1', {}, `${name} · Security`),
    h('div', { class: 'actions' },
      can.heal(s) ? healButton(s, name, 'syncDeviceSecrets', 'Sync device secrets', g, main, rerender) : null,
      can.activate(s) ? h('a', { class: 'button', href: `#/resources/${enc}/activation` }, 'Activation') : null)));
  main.append(banner(s, name, summary, g, rerender));

  const vaultGone = summary.vaultState !== 'Present';
  main.append(section('Key vault', 'vault', h('dl', { class: 'facts' },
    h('dt', {}, 'Key vault name'), h('dd', {}, summary.vaultName ?? '—'),
    h('dt', {}, 'State'), h('dd', { 'data-testid': 'vault-state' }, badge(summary.vaultState, vaultGone ? 'critical' : 'ok')),
    h('dt', {}, 'URI'), h('dd', {}, summary.vaultUri ?? '—'),
    h('dt', {}, 'In the Azure portal'), h('dd', {}, summary.portalLink ? h('a', { href: summary.portalLink, target: '_blank', rel: 'noopener noreferrer' }, 'Open the key vault') : '—'))));

  const id = summary.identity;
  main.append(h('div', { class: 'grid2' },
    section('System-assigned managed identity', 'identity', id ? h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { 'data-testid': 'identity-status' }, badge(id.enabled ? 'Enabled' : 'Disabled', id.enabled ? 'ok' : 'critical')),
      h('dt', {}, 'Object id'), h('dd', {}, id.principalId ?? '—'),
      h('dt', {}, 'Tenant'), h('dd', {}, id.tenantId ?? '—'),
      h('dt', {}, 'Key vault access (Get, Set)'), h('dd', {}, badge(id.hasVaultAccess ? 'Granted' : 'Missing', id.hasVaultAccess ? 'ok' : 'critical'))) : message('Unknown.', 'info')),
    section('Locks', 'locks', table(['Name', 'Level', 'On'], summary.locks.map(l => [l.name, l.level, l.id.split('/providers/Microsoft.Authorization/locks/')[0]!.split('/').slice(-1)[0]!])))));

  const alertsCard = section('Alerts', 'alerts');
  alertsCard.append(table(['Severity', 'Kind', 'Category', 'Principal', 'Since', 'Finding', ''], summary.alerts.map(a => [
    badge(a.severity, a.severity), a.kind, a.category, a.principal ?? '—', when(a.time), a.message,
    // Only an alert no check re-judges (a self-grant) is resolved by hand, once the security team reviewed it.
    can.manageAccess(s) && resolvedByHand.has(a.kind)
      ? h('button', { type: 'button', 'data-testid': `resolve-${a.id}`, onclick: (e: Event) => {
        const button = e.currentTarget as HTMLButtonElement;
        button.disabled = true;
        void resolveAlert(a.id, alertsCard, rerender, () => { button.disabled = false; });
      } }, 'Resolve')
      : '']), { 'data-testid': 'alerts-table' }));
  main.append(alertsCard);

  const secrets = section('Secrets', 'secrets');
  const policies = section('Access policies', 'policies');
  const diagnostics = section('Diagnostic settings', 'diagnostics');
  main.append(secrets, policies, diagnostics);
  if (vaultGone) {
    // Nothing to read from a vault that is gone: say so instead of three failed calls.
    for (const card of [secrets, policies, diagnostics]) card.append(message('The key vault is gone: nothing to show until it is recovered.', 'info'));
  } else {
    loadVaultViews(secrets, policies, diagnostics, s, enc, g, rerender);
  }
  if (can.audit(s)) {
    const insights = section('Insights', 'insights');
    const logs = section('Audit logs', 'auditlogs');
    main.append(insights, logs);
    void loadInto(insights, () => insightsView(enc), g);
    auditLogs(logs, enc, g);
  }
}

function loadVaultViews(secrets: HTMLElement, policies: HTMLElement, diagnostics: HTMLElement, s: Session, enc: string, g: number, rerender: () => void): void {
  void loadSecrets(secrets, s, enc, g);
  void loadInto(policies, async () => accessPolicies(s, enc, g, rerender), g);
  void loadInto(diagnostics, async () => {
    const d = await get<DiagnosticsView>(`/api/resources/${enc}/security/diagnostics`);
    return h('div', {},
      table(['Name', 'Logs', 'Destination storage account'], d.value.map(x => [
        x.name, [...(x.categories ?? []), ...(x.categoryGroups ?? [])].join(', '), x.storageAccountId?.split('/').pop() ?? '—'])),
      hardening(d));
  }, g);
}

/**
 * Each hardening setting as Azure reports it now, the secure value marked ok and anything else a warning: the vault's
 * network rules and the audit storage account's access, TLS and retention (docs/hardening.md).
 */
function hardening(d: DiagnosticsView): HTMLElement {
  const fact = (label: string, testId: string, text: string, secure: boolean) =>
    [h('dt', {}, label), h('dd', { 'data-testid': testId, 'data-secure': String(secure) }, badge(text, secure ? 'ok' : 'warning'))];
  const n = d.vaultNetwork;
  const a = d.auditStorage;
  const days = a?.immutabilityDays ?? null;
  return h('div', { 'data-testid': 'hardening' },
    h('h3', {}, 'Hardening'),
    h('dl', { class: 'facts' },
      ...fact('Key vault network', 'vault-network', n === null ? 'All networks' : `${n.defaultAction} by default`, n?.defaultAction === 'Deny'),
      ...(n === null ? [] : [
        h('dt', {}, 'Bypass'), h('dd', { 'data-testid': 'vault-network-bypass' }, n.bypass),
        h('dt', {}, 'Allowed ranges'), h('dd', { 'data-testid': 'vault-network-ranges' }, n.ipRules.join(', ') || '—')]),
      ...(a === null
        ? [h('dt', {}, 'Audit storage account'), h('dd', { 'data-testid': 'audit-storage' }, badge('None', 'warning'))]
        : [
          h('dt', {}, 'Audit storage account'), h('dd', { 'data-testid': 'audit-storage' }, a.name),
          ...fact('Shared key access', 'audit-shared-key', a.allowSharedKeyAccess ? 'On' : 'Off', !a.allowSharedKeyAccess),
          ...fact('Public blob access', 'audit-public-access', a.allowBlobPublicAccess ? 'On' : 'Off', !a.allowBlobPublicAccess),
          ...fact('Minimum TLS', 'audit-tls', a.minimumTlsVersion ?? 'Not set', a.minimumTlsVersion === 'TLS1_2' || a.minimumTlsVersion === 'TLS1_3'),
          ...fact('Audit log retention', 'audit-immutability',
            days === null ? 'None' : `${days} days${a.immutabilityState ? `, ${a.immutabilityState}` : ''}`, days !== null && days > 0),
        ])));
}

/**
 * The vault's access policies, each entry EdgeKv did not grant flagged. The security team (AccessManage) answers a
 * flagged entry from here: remove it (the RemoveAccessPolicy orchestration, followed live) or accept it as it is now
 * (audited by the API before it takes effect). An accepted entry can still be removed later.
 */
async function accessPolicies(s: Session, enc: string, g: number, rerender: () => void): Promise<HTMLElement> {
  const p = (await get<{ value: Policy[] }>(`/api/resources/${enc}/security/accessPolicies`)).value;
  const manage = can.manageAccess(s) && p.some(x => x.reason !== null);
  const progress = h('div', { 'data-testid': 'policy-progress' });
  const flag = (x: Policy) => x.flagged
    ? h('span', { class: 'flag', 'data-testid': 'flagged-policy' }, badge('Not granted by EdgeKv', 'critical'), ' ', x.reason ?? '')
    : x.acceptedBy
      ? h('span', { 'data-testid': 'accepted-policy' }, badge('Accepted', 'warning'), ` by ${x.acceptedBy} ${when(x.acceptedAt)}`)
      : badge('EdgeKv', 'ok');
  // EdgeKv's own entry and the identity's are cut back to what EdgeKv grants them; any other entry is removed.
  const ours = (x: Policy) => x.who === 'EdgeKv' || x.who === 'Resource identity';
  const actions = (x: Policy) => x.reason === null ? '' : h('div', { class: 'inline' },
    h('button', { type: 'button', class: 'danger', 'data-remove-policy': x.objectId, onclick: (e: Event) => {
      if (!confirm(ours(x) ? `Cut the entry of ${x.who} back to what EdgeKv grants it?` : `Remove the access policy entry of ${x.objectId} from the key vault?`)) return;
      void removePolicy(enc, x.objectId, progress, g, rerender, disable(e));
    } }, ours(x) ? 'Cut back' : 'Remove entry'),
    x.flagged ? h('button', { type: 'button', 'data-accept-policy': x.objectId, onclick: (e: Event) => {
      if (!confirm(`Accept the entry of ${x.objectId} with the permissions it holds now? The acceptance is written to the audit trail under your name.`)) return;
      void acceptPolicy(enc, x.objectId, progress, rerender, disable(e));
    } }, 'Accept') : null);
  return h('div', {},
    table(['Principal', 'Object id', 'Secrets', 'Keys', 'Certificates', 'Flag', ...(manage ? ['Action'] : [])], p.map(x => [
      x.who, x.objectId, x.secrets.join(', ') || '—', x.keys.join(', ') || '—', x.certificates.join(', ') || '—', flag(x), ...(manage ? [actions(x)] : [])]),
    { 'data-testid': 'policies-table' }),
    progress);
}

/** Disables the table's buttons while one answer runs; returns what enables them again (after a refusal). */
function disable(e: Event): () => void {
  const buttons = [...((e.currentTarget as HTMLElement).closest('table')?.querySelectorAll('button') ?? [])] as HTMLButtonElement[];
  buttons.forEach(b => { b.disabled = true; });
  return () => buttons.forEach(b => { b.disabled = false; });
}

async function removePolicy(enc: string, objectId: string, box: HTMLElement, g: number, rerender: () => void, enable: () => void): Promise<void> {
  try {
    const started = await post<{ statusQueryGetUri: string }>(`/api/resources/${enc}/accessPolicies/${encodeURIComponent(objectId)}/remove`);
    const final = await follow(box, relative(started.body.statusQueryGetUri), g);
    if (final?.runtimeStatus === 'Completed') rerender();
    else enable();
  } catch (e) {
    box.append(message((e as Error).message));
    enable();
  }
}

const resolvedByHand = new Set(['SelfGrantedDataPlaneAccess']);

async function resolveAlert(id: string, box: HTMLElement, rerender: () => void, enable: () => void): Promise<void> {
  try {
    await post(`/api/alerts/${encodeURIComponent(id)}/resolve`);
    rerender();
  } catch (e) {
    box.append(message((e as Error).message));
    enable();
  }
}

async function acceptPolicy(enc: string, objectId: string, box: HTMLElement, rerender: () => void, enable: () => void): Promise<void> {
  try {
    await post(`/api/resources/${enc}/accessPolicies/${encodeURIComponent(objectId)}/accept`);
    rerender();
  } catch (e) {
    box.append(message((e as Error).message));
    enable();
  }
}

async function loadInto(card: HTMLElement, build: () => Promise<HTMLElement>, g: number): Promise<void> {
  const wait = message('Loading…', 'info');
  card.append(wait);
  try {
    const el = await build();
    if (alive(g)) wait.replaceWith(el);
  } catch (e) {
    if (alive(g)) wait.replaceWith(message((e as Error).message));
  }
}

function banner(s: Session, name: string, summary: Summary, g: number, rerender: () => void): HTMLElement {
  // Every active alert of the resource, health and security alike (one store).
  const active = summary.alerts;
  const critical = active.filter(a => a.severity === 'Critical' || a.severity === 'Error');
  const identityLost = summary.identity !== null && (!summary.identity.enabled || !summary.identity.hasVaultAccess) && summary.vaultState === 'Present';
  if (summary.vaultState === 'Present' && critical.length === 0 && !identityLost) {
    return h('div', { class: 'banner ok', role: 'status', 'data-testid': 'healthy' },
      h('strong', {}, 'Healthy. '), active.length ? `${active.length} warning(s) below.` : 'The key vault, its identity access and its secrets are in place.');
  }
  const lines: string[] = [];
  if (summary.vaultState === 'Deleted') lines.push(`The key vault ${summary.vaultName} has been deleted; it can be recovered with its name while it is soft-deleted.`);
  if (summary.vaultState === 'Purged') lines.push(`The key vault ${summary.vaultName} is gone (purged); recovery creates a new vault, which needs a new name.`);
  if (identityLost) lines.push('The resource\'s managed identity has lost its access to the key vault.');
  for (const a of critical) lines.push(`${a.kind}: ${a.message}`);
  const actions = new Map<string, string>();
  for (const a of critical) { const x = healers[a.kind]; if (x) actions.set(x.path, x.label); }
  if (summary.vaultState !== 'Present') actions.set('recoverVault', 'Recover key vault');
  if (identityLost) actions.set('recoverIdentityAccess', 'Recover identity access');
  const box = h('div', { class: 'banner critical', role: 'alert', 'data-testid': 'critical-banner' },
    h('strong', {}, 'Critical. '), ...lines.map(l => h('p', {}, l)));
  const progress = h('div', { 'data-testid': 'heal-progress' });
  if (critical.some(a => a.kind === 'AccessPolicyNotGrantedByEdgeKv')) {
    // Drift is answered entry by entry in the access-policies card (remove or accept), not by one heal for the vault.
    box.append(h('div', { class: 'actions' }, h('button', { type: 'button', 'data-testid': 'review-policies', onclick: () => {
      const card = document.getElementById('policies');
      card?.scrollIntoView();
      const target = card?.querySelector('button') ?? card?.querySelector('h2');
      if (target?.tagName === 'H2') target.setAttribute('tabindex', '-1');
      (target as HTMLElement | null | undefined)?.focus();
    } }, 'Review access policies')));
  }
  if (can.heal(s)) {
    const bar = h('div', { class: 'actions' });
    for (const [path, label] of actions) {
      if (path === 'recoverVault' && summary.vaultState === 'Purged') {
        const input = h('input', { id: 'new-vault-name', required: true, minlength: 3, maxlength: 24, pattern: '[A-Za-z][A-Za-z0-9-]{2,23}', placeholder: 'new vault name' }) as HTMLInputElement;
        bar.append(h('form', { class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); void heal(name, path, { newVaultName: input.value }, progress, g, rerender); } },
          h('label', { for: 'new-vault-name' }, 'New vault name'), input, h('button', { type: 'submit', 'data-heal': path }, label)));
      } else {
        bar.append(h('button', { type: 'button', 'data-heal': path, onclick: () => void heal(name, path, {}, progress, g, rerender) }, label));
      }
    }
    box.append(bar, progress);
  } else {
    box.append(h('p', { class: 'muted' }, 'Your role can see this but not heal it; an operator or the security team can.'));
  }
  return box;
}

function healButton(_s: Session, name: string, path: string, label: string, g: number, main: HTMLElement, rerender: () => void): HTMLElement {
  return h('button', { type: 'button', 'data-heal': path, onclick: () => {
    const progress = h('div', { class: 'banner info', 'data-testid': 'heal-progress' });
    main.querySelector('.title')?.after(progress);
    void heal(name, path, {}, progress, g, rerender);
  } }, label);
}

async function heal(name: string, path: string, body: unknown, box: HTMLElement, g: number, rerender: () => void): Promise<void> {
  box.closest('.banner')?.querySelectorAll('button').forEach(b => { (b as HTMLButtonElement).disabled = true; });
  try {
    const started = await post<{ statusQueryGetUri: string }>(`/api/resources/${encodeURIComponent(name)}/${path}`, body);
    const final: Instance | null = await follow(box, relative(started.body.statusQueryGetUri), g);
    if (!final || !alive(g)) return;
    const out = final.output as { healed?: boolean; summary?: string } | string | null;
    box.append(h('p', {}, typeof out === 'object' && out?.summary ? out.summary : String(out ?? '')),
      h('button', { type: 'button', onclick: rerender, 'data-testid': 'refresh' }, 'Refresh the page'));
    if (final.runtimeStatus === 'Completed') rerender();
  } catch (e) {
    box.append(message((e as Error).message));
    box.closest('.banner')?.querySelectorAll('button').forEach(b => { (b as HTMLButtonElement).disabled = false; });
  }
}

async function loadSecrets(card: HTMLElement, s: Session, enc: string, g: number): Promise<void> {
  const body = h('div');
  card.append(body);
  const show = async (values: boolean) => {
    const list = (await get<{ value: Secret[] }>(`/api/resources/${enc}/security/secrets${values ? '?includeValues=true' : ''}`)).value;
    if (!alive(g)) return;
    clear(body);
    body.append(table(['Name', 'Current version', 'Versions', 'Enabled', 'Updated', ...(values ? ['Value'] : [])], list.map(x => [
      x.name, h('code', {}, x.version ?? '—'), x.versions, x.enabled === false ? badge('Disabled', 'critical') : 'Yes', when(x.updated),
      ...(values ? [h('code', { class: 'secret-value', 'data-secret': x.name }, x.value ?? '—')] : [])]), { 'data-testid': 'secrets-table' }));
    if (can.revealSecrets(s)) {
      body.append(values
        ? h('button', { type: 'button', 'data-testid': 'hide-secrets', onclick: () => void show(false) }, 'Hide values')
        : h('button', { type: 'button', 'data-testid': 'reveal-secrets', onclick: () => {
          if (confirm('Reveal the secret values? Each read is written to the audit trail under your name.')) void show(true).catch(e => body.append(message((e as Error).message)));
        } }, 'Reveal values (audited)'));
    }
  };
  try { await show(false); } catch (e) { body.append(message((e as Error).message)); }
}

async function insightsView(enc: string): Promise<HTMLElement> {
  const i = await get<Insights>(`/api/resources/${enc}/security/insights`);
  const ops = [...new Set(i.perOperation.map(o => o.operation))].sort();
  const results = [...new Set(i.perOperation.map(o => o.result))].sort();
  const byResult = results.map(r => i.perOperation.filter(o => o.result === r).reduce((n, o) => n + o.count, 0));
  const callers = [...i.perCaller].sort((a, b) => b.count - a.count).slice(0, 10);
  const sum = i.perOperation.reduce((n, o) => n + o.count, 0);
  return h('div', {},
    h('p', {}, 'Operations on the key vault: ', h('strong', { 'data-testid': 'insights-total' }, i.total), ' in all (',
      h('span', { 'data-testid': 'insights-sum' }, sum), ' by operation), ',
      ...results.map((r, k) => h('span', { 'data-result': r }, `${k ? ', ' : ''}${r} ${byResult[k]}`)), '.'),
    h('div', { class: 'grid2' },
      h('div', { 'data-testid': 'insights-over-time-by-result' }, overTime('Operations over time by result', i, results, x => x.result,
        (r, k) => r.toLowerCase() === 'success' ? palette[2] : palette[(k + 1) % palette.length])),
      h('div', { 'data-testid': 'insights-over-time-by-operation' }, overTime('Operations over time by operation', i, ops, x => x.operation,
        (_, k) => palette[k % palette.length]))),
    h('div', { class: 'grid2' },
      chart('Operations by operation and result', { type: 'bar', data: { labels: ops,
        datasets: results.map((r, k) => ({ label: r, data: ops.map(o => i.perOperation.find(x => x.operation === o && x.result === r)?.count ?? 0),
          backgroundColor: r.toLowerCase() === 'success' ? palette[2] : palette[(k + 1) % palette.length] })) },
        options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } } }),
      h('div', {}, h('h3', {}, 'Top callers'),
        chart('Top callers', { type: 'bar', data: { labels: callers.map(c => c.caller), datasets: [{ label: 'operations', data: callers.map(c => c.count), backgroundColor: palette[4] }] },
          options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } }))),
    table(['Operation', 'Result', 'Count'], i.perOperation.map(o => [o.operation, o.result, o.count]), { 'data-testid': 'insights-table' }),
    platformMetrics(i.metrics));
}

const classColor: Record<string, string> = { '2xx': palette[2]!, '3xx': palette[5]!, '4xx': palette[3]!, '5xx': palette[1]! };

/** A number as the API gave it (in data-value, for tests) and rounded for reading. */
function figure(testId: string, value: number | null, unit = ''): HTMLElement {
  return h('strong', { 'data-testid': testId, 'data-value': value === null ? '' : String(value) },
    value === null ? '—' : `${Math.round(value * 10) / 10}${unit}`);
}

/**
 * The vault's platform metrics (Azure Monitor), as the portal's Key Vault insights charts them: service API hits,
 * latency (average and maximum), results by status class and availability per interval, with the window's totals.
 */
function platformMetrics(m: PlatformMetrics | null): HTMLElement {
  const box = h('div', { 'data-testid': 'platform-metrics' }, h('h3', {}, 'Platform metrics (Azure Monitor)'));
  if (!m) return box;
  if (m.error) { const error = message(m.error); error.setAttribute('data-testid', 'metrics-error'); box.append(error); return box; }
  const labels = m.points.map(p => timeLabel(p.time).slice(0, 11));
  const classes = Object.keys(m.resultsByClass).sort();
  const line = { scales: { y: { beginAtZero: true } } };
  box.append(
    h('p', {}, `Every ${m.interval}: `, figure('metrics-hits', m.totalHits), ' service API hits; latency ', figure('metrics-latency-avg', m.latencyAverageMs, ' ms'),
      ' average, ', figure('metrics-latency-max', m.latencyMaxMs, ' ms'), ' max; availability ', figure('metrics-availability', m.availability, ' %'), '; results ',
      ...classes.map((c, k) => h('span', {}, k ? ', ' : '', `${c} `, h('strong', { 'data-testid': `metrics-results-${c}` }, m.resultsByClass[c]!))), '.'),
    h('div', { class: 'grid2' },
      h('div', { 'data-testid': 'metrics-hits-chart' }, chart('Service API hits per interval', { type: 'bar',
        data: { labels, datasets: [{ label: 'hits', data: m.points.map(p => p.hits), backgroundColor: palette[0] }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } })),
      h('div', { 'data-testid': 'metrics-results-chart' }, chart('Service API results by status class', { type: 'bar',
        data: { labels, datasets: classes.map((c, k) => ({ label: c, data: m.points.map(p => p.resultsByClass[c] ?? 0), backgroundColor: classColor[c] ?? palette[(k + 4) % palette.length] })) },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } }))),
    h('div', { class: 'grid2' },
      h('div', { 'data-testid': 'metrics-latency-chart' }, chart('Service API latency (ms)', { type: 'line',
        data: { labels, datasets: [
          { label: 'average', data: m.points.map(p => p.latencyAverageMs), borderColor: palette[0], backgroundColor: palette[0], spanGaps: true },
          { label: 'max', data: m.points.map(p => p.latencyMaxMs), borderColor: palette[3], backgroundColor: palette[3], spanGaps: true }] },
        options: line })),
      h('div', { 'data-testid': 'metrics-availability-chart' }, chart('Availability (%)', { type: 'line',
        data: { labels, datasets: [{ label: 'availability', data: m.points.map(p => p.availability), borderColor: palette[2], backgroundColor: palette[2], spanGaps: true }] },
        options: { scales: { y: { min: 0, max: 100 } } } }))),
    table(['Interval', 'Hits', 'Latency avg (ms)', 'Latency max (ms)', ...classes, 'Availability (%)'],
      m.points.filter(p => p.hits > 0).map(p => [when(p.time), p.hits, p.latencyAverageMs ?? '—', p.latencyMaxMs ?? '—',
        ...classes.map(c => p.resultsByClass[c] ?? 0), p.availability ?? '—']), { 'data-testid': 'metrics-table' }));
  return box;
}

/** Operations per hour, stacked by one key (the result, or the operation), from the API's per-hour breakdown. */
function overTime(label: string, i: Insights, keys: string[], key: (x: Insights['perHourByOperation'][number]) => string,
  color: (k: string, index: number) => string): HTMLElement {
  const hours = i.perHour.map(p => p.hour);
  const counts = new Map<string, number>();
  for (const x of i.perHourByOperation) counts.set(`${x.hour}|${key(x)}`, (counts.get(`${x.hour}|${key(x)}`) ?? 0) + x.count);
  return chart(label, { type: 'bar', data: { labels: hours.map(hourLabel),
    datasets: keys.map((k, n) => ({ label: k, backgroundColor: color(k, n), data: hours.map(hour => counts.get(`${hour}|${k}`) ?? 0) })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } });
}

function auditLogs(card: HTMLElement, enc: string, g: number): void {
  const op = h('input', { id: 'al-op', placeholder: 'operation, e.g. SecretGet' }) as HTMLInputElement;
  const result = h('select', { id: 'al-result' }, h('option', { value: '' }, 'any'), h('option', { value: 'Success' }, 'Success'), h('option', { value: 'Failure' }, 'Failure')) as HTMLSelectElement;
  const body = h('div');
  const info = h('span', { 'aria-live': 'polite' });
  const prev = h('button', { type: 'button' }, '← Newer') as HTMLButtonElement;
  const next = h('button', { type: 'button' }, 'Older →') as HTMLButtonElement;
  const links: string[] = [];
  let index = 0;
  let nextLink: string | null = null;
  const first = () => `/api/resources/${enc}/security/auditLogs?top=25${op.value ? `&operation=${encodeURIComponent(op.value)}` : ''}${result.value ? `&result=${result.value}` : ''}`;
  async function load(): Promise<void> {
    try {
      const page = await get<{ value: AuditLog[]; nextLink: string | null }>(links[index]!);
      if (!alive(g)) return;
      nextLink = page.nextLink ? relative(page.nextLink) : null;
      clear(body);
      body.append(table(['Time', 'Operation', 'Result', 'Status', 'Caller', 'Client IP'], page.value.map(r => [
        when(r.time), r.operationName, badge(r.resultType, r.resultType === 'Success' ? 'ok' : 'critical'), r.httpStatusCode, r.callerObjectId ?? r.callerAppId ?? '—', r.callerIpAddress])));
      info.textContent = `Page ${index + 1}`;
      prev.disabled = index === 0;
      next.disabled = !nextLink;
    } catch (e) { clear(body); body.append(message((e as Error).message)); }
  }
  prev.addEventListener('click', () => { index--; void load(); });
  next.addEventListener('click', () => { if (nextLink) { links.splice(index + 1, links.length, nextLink); index++; void load(); } });
  card.append(h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); links.splice(0, links.length, first()); index = 0; void load(); } },
    h('label', { for: 'al-op' }, 'Operation'), op, h('label', { for: 'al-result' }, 'Result'), result, h('button', { type: 'submit' }, 'Apply')),
    body, h('div', { class: 'pager' }, prev, info, next));
  links.push(first());
  void load();
}
