import { get, post, relative, type Instance, type Key, type KmsKey, type KmsProvider, type Page } from '../api';
import { can, type Session } from '../auth';
import { badge, clear, h, message, section, table, when } from '../dom';
import { alive, currentGeneration } from '../live';
import { follow } from '../progress';

// EdgeKv's keys (GET /api/keys, /api/kms): metadata, versions with their public keys, and where each version is
// distributed. Never key material: the API has none to give. Rotation runs as a flow whose progress is shown live.

const enc = encodeURIComponent;

/** The keys and the KMS providers, each list paged by the API's nextLink. */
export async function keys(main: HTMLElement, s: Session): Promise<void> {
  const g = currentGeneration();
  main.append(h('h1', {}, 'Keys'));
  const keyCard = section('Keys', 'keys-card');
  const kmsCard = section('KMS providers (Azure Key Vaults)', 'kms-card');
  main.append(keyCard, kmsCard);
  await Promise.all([
    paged<Key>(keyCard, '/api/keys?top=50', g, rows => table(
      ['Key', 'Type', 'Latest version', 'Minimum enabled', 'Versions', 'Distributed to', 'Deletion allowed', 'Updated'],
      rows.map(k => [
        h('a', { href: `#/keys/${enc(k.name)}`, 'data-key': k.name }, k.name), k.type,
        h('span', { 'data-testid': `latest-${k.name}` }, k.latestVersion), k.minEnabledVersion, k.versions.length,
        k.distributions.length ? k.distributions.map(d => d.kms).join(', ') : h('span', { class: 'muted' }, 'nowhere'),
        k.deletionAllowed ? 'yes' : 'no', when(k.updatedTime),
      ]), { 'data-testid': 'keys-table' }), 'No key yet.'),
    paged<KmsProvider>(kmsCard, '/api/kms?top=50', g, rows => table(
      ['Provider', 'Type', 'Key vault', 'Own credentials', 'Registered'],
      rows.map(p => [p.name, p.provider, p.keyCollection, p.credentialsSet ? 'yes' : 'no (EdgeKv\'s identity)', when(p.createdTime)]),
      { 'data-testid': 'kms-table' }), 'No KMS provider registered.'),
  ]);
  if (!can.manageKeys(s) && alive(g)) main.append(h('p', { class: 'muted' }, 'Your role reads key metadata; the security team manages keys.'));
}

/** One list, a page at a time, with a "More" button while the API has a nextLink. */
async function paged<T>(card: HTMLElement, first: string, g: number, render: (rows: T[]) => HTMLElement, empty: string): Promise<void> {
  const body = h('div');
  const more = h('button', { type: 'button' }, 'More →') as HTMLButtonElement;
  card.append(body, more);
  const rows: T[] = [];
  let next: string | null = first;
  async function load(): Promise<void> {
    if (!next) return;
    more.disabled = true;
    try {
      const page: Page<T> = await get<Page<T>>(next);
      if (!alive(g)) return;
      rows.push(...page.value);
      next = page.nextLink ? relative(page.nextLink) : null;
      clear(body);
      body.append(rows.length ? render(rows) : h('p', { class: 'muted' }, empty));
    } catch (e) {
      body.replaceChildren(message((e as Error).message));
    }
    more.hidden = !next;
    more.disabled = false;
  }
  more.addEventListener('click', () => void load());
  await load();
}

/** A key: its settings, every version and which Azure key version holds it at each provider, and rotation. */
export async function key(main: HTMLElement, s: Session, name: string): Promise<void> {
  const g = currentGeneration();
  main.append(h('div', { class: 'title' }, h('h1', {}, name), h('a', { class: 'button', href: '#/keys' }, 'All keys')));
  const facts = section('Key', 'key-facts');
  const versions = section('Versions and where each is distributed', 'key-versions');
  const actions = can.manageKeys(s) ? section('Rotate', 'key-rotate') : null;
  main.append(facts, versions);
  if (actions) main.append(actions);

  async function show(): Promise<Key | null> {
    const k = await get<Key>(`/api/keys/${enc(name)}`);
    // Which Azure version holds each EdgeKv version, per provider (GET /api/kms/{kms}/keys/{name}).
    const placed = await Promise.all(k.distributions.map(d => get<KmsKey>(`/api/kms/${enc(d.kms)}/keys/${enc(k.name)}`)));
    if (!alive(g)) return null;
    facts.replaceChildren(facts.firstChild!, h('dl', { class: 'facts', 'data-testid': 'key-facts' },
      h('dt', {}, 'Type'), h('dd', {}, k.type),
      h('dt', {}, 'Latest version'), h('dd', { 'data-testid': 'latest-version' }, String(k.latestVersion)),
      h('dt', {}, 'Minimum enabled version'), h('dd', { 'data-testid': 'min-enabled-version' }, String(k.minEnabledVersion)),
      h('dt', {}, 'Deletion allowed'), h('dd', {}, k.deletionAllowed ? 'yes' : 'no'),
      h('dt', {}, 'Rotation period'), h('dd', {}, k.rotationPeriod ?? 'none (rotated on request)'),
      h('dt', {}, 'Created'), h('dd', {}, when(k.createdTime)),
      h('dt', {}, 'Updated'), h('dd', {}, when(k.updatedTime))));
    const heads = ['Version', 'Created', 'State', ...placed.map(p => `In ${p.kms} (${p.protection})`), 'Public key'];
    const rows = [...k.versions].reverse().map(v => [
      h('span', { 'data-version': v.version }, `v${v.version}`), when(v.createdTime),
      v.enabled ? badge('enabled', 'ok') : badge('disabled', 'neutral'),
      ...placed.map(p => {
        const at = p.versions.find(x => x.version === v.version);
        return at ? h('code', { title: `${p.azureKeyId ?? ''}/${at.azureVersion}` }, at.azureVersion.slice(0, 12)) : h('span', { class: 'muted' }, '—');
      }),
      v.publicKey ? h('details', {}, h('summary', {}, 'PEM'), h('code', { class: 'output' }, v.publicKey)) : h('span', { class: 'muted' }, 'none (symmetric)'),
    ]);
    const where = placed.length
      ? h('ul', {}, ...placed.map(p => h('li', { 'data-kms': p.kms }, `${p.kms}: ${p.state}, purpose ${p.purpose.join(', ')}`,
        p.azureKeyId ? h('span', {}, ' · ', h('code', {}, p.azureKeyId)) : '')))
      : h('p', { class: 'muted' }, 'Not distributed to any KMS provider.');
    versions.replaceChildren(versions.firstChild!, where, table(heads, rows, { 'data-testid': 'versions-table' }));
    return k;
  }

  try {
    await show();
  } catch (e) {
    if (alive(g)) main.append(message((e as Error).message));
    return;
  }

  if (actions) {
    const progress = h('div', { 'data-testid': 'rotate-progress' });
    const button = h('button', { type: 'button', 'data-testid': 'rotate-key', onclick: async () => {
      button.disabled = true;
      try {
        const started = await post<{ statusQueryGetUri: string }>(`/api/keys/${enc(name)}/rotate`);
        const final: Instance | null = await follow(progress, relative(started.body.statusQueryGetUri), g);
        if (final && alive(g)) {
          const out = final.output as { summary?: string } | null;
          if (out?.summary) progress.append(h('p', {}, out.summary));
          await show();
        }
      } catch (e) {
        progress.append(message((e as Error).message));
      }
      button.disabled = false;
    } }, 'Rotate: a new version here and in every vault that holds the key') as HTMLButtonElement;
    actions.append(h('p', {}, 'Older versions stay listed and enabled down to the minimum enabled version.'), button, progress);
  }
}
