import { ApiError, call, get, relative, type Instance, type Resource } from '../api';
import { can, type Session } from '../auth';
import { badge, clear, h, message, section, when } from '../dom';
import { alive, currentGeneration } from '../live';
import { follow } from '../progress';

// The ten steps of the Activation orchestration (README, "What activation does").
const STEPS = ['Check prerequisites', 'Resolve the vault name', 'Create the key vault', 'Lock the key vault', 'Enable the managed identity',
  'Store the Channel Integrity Key', 'Audit storage account', 'Diagnostic setting', 'Grant the identity Get and Set', 'Issue the activation key'];
const TOKEN_HEADER = 'x-edgekv-activation-key-token';

export async function activation(main: HTMLElement, s: Session, name: string): Promise<void> {
  const g = currentGeneration();
  const enc = encodeURIComponent(name);
  main.append(h('div', { class: 'title' }, h('h1', {}, `${name} · Activation`), h('a', { class: 'button', href: `#/resources/${enc}` }, 'Security page')));
  let resource: Resource | null = null;
  try { resource = await get<Resource>(`/api/resources/${enc}`); } catch (e) { if (!(e instanceof ApiError && e.status === 404)) throw e; }
  if (!alive(g)) return;
  const rerender = () => { if (alive(g)) { clear(main); void activation(main, s, name).catch(e => main.append(message((e as Error).message))); } };

  if (!resource) {
    main.append(section('Resource', 'resource', h('p', {}, `EdgeKv has no resource named ${name}.`),
      h('button', { type: 'button', 'data-testid': 'create-resource', onclick: async () => {
        try { await call(`/api/resources/${enc}`, { method: 'PUT', body: '{}' }); rerender(); } catch (e) { main.append(message((e as Error).message)); }
      } }, 'Create the Azure Stack Edge resource')));
    return;
  }

  main.append(section('Resource', 'resource', h('dl', { class: 'facts' },
    h('dt', {}, 'Activation'), h('dd', { 'data-testid': 'activation-state' }, badge(resource.activationState, resource.activationState === 'KeyIssued' ? 'ok' : 'neutral')),
    h('dt', {}, 'Device'), h('dd', {}, resource.deviceState),
    h('dt', {}, 'Key vault'), h('dd', {}, resource.vault?.name ?? '—'),
    h('dt', {}, 'Activation key expires'), h('dd', {}, when(resource.activationKeyExpiresAt)),
    h('dt', {}, 'Key handed out'), h('dd', {}, resource.activationKeyDelivered ? 'yes' : 'no'),
    ...(resource.activationWarnings.length ? [h('dt', {}, 'Warnings'), h('dd', {}, resource.activationWarnings.join('; '))] : []))));

  const work = section('Activation key', 'key');
  main.append(work);
  const steps = h('ol', { class: 'steps', 'data-testid': 'steps' }, ...STEPS.map((t, i) => h('li', { 'data-step': i + 1 }, t)));
  const progress = h('div', { 'data-testid': 'activation-progress' });
  const keyBox = h('div', { 'data-testid': 'key-box' });
  const errors = h('div');

  const markSteps = (st: Instance) => {
    const c = st.customStatus as { step?: number } | null;
    const current = c?.step ?? 0;
    steps.querySelectorAll('li').forEach(li => {
      const n = Number(li.getAttribute('data-step'));
      li.className = st.runtimeStatus === 'Completed' || n < current ? 'done' : n === current ? (st.runtimeStatus === 'Failed' ? 'failed' : 'current') : '';
    });
  };

  const run = async (start: () => Promise<Response>, showSteps: boolean) => {
    clear(errors); clear(keyBox);
    work.querySelectorAll('button').forEach(b => { (b as HTMLButtonElement).disabled = true; });
    try {
      const response = await start();
      // The one-time fetch token stays in this closure only: not in storage, not in the URL.
      const token = response.headers.get(TOKEN_HEADER);
      const payload = await response.json() as { statusQueryGetUri: string };
      if (showSteps) progress.before(steps);
      const final = await follow(progress, relative(payload.statusQueryGetUri), g, markSteps);
      if (final?.runtimeStatus === 'Completed' && token) offerKey(keyBox, enc, token);
      else if (final && final.runtimeStatus !== 'Completed') errors.append(message(`The flow ended ${final.runtimeStatus}: ${JSON.stringify(final.output)}`));
    } catch (e) { errors.append(message((e as Error).message)); }
    work.querySelectorAll('button').forEach(b => { (b as HTMLButtonElement).disabled = false; });
  };

  if (can.activate(s)) {
    const vaultName = h('input', { id: 'vault-name', minlength: 3, maxlength: 24, placeholder: 'default: derived from the resource name' }) as HTMLInputElement;
    work.append(h('form', { class: 'filters', onsubmit: (e: Event) => {
      e.preventDefault();
      void run(() => call(`/api/resources/${enc}/activationKey`, { method: 'POST', body: JSON.stringify(vaultName.value ? { vaultName: vaultName.value } : {}) }), true);
    } },
      h('label', { for: 'vault-name' }, 'Key vault name (optional, 3-24 characters)'), vaultName,
      h('button', { type: 'submit', 'data-testid': 'generate' }, 'Generate activation key')));
    if (resource.activationState === 'KeyIssued') {
      work.append(h('p', {}, 'A new key replaces the one handed out before (the old one is refused). The key vault is not touched.'),
        h('button', { type: 'button', 'data-testid': 'regenerate', onclick: () => void run(() => call(`/api/resources/${enc}/activationKey/regenerate`, { method: 'POST' }), false) },
          'Regenerate activation key'));
    }
  }
  work.append(progress, keyBox, errors);

  if (can.delete(s)) main.append(deleteSection(name, g));
}

function offerKey(box: HTMLElement, enc: string, token: string): void {
  let used = false;
  const get = h('button', { type: 'button', 'data-testid': 'fetch-key' }, 'Get the activation key') as HTMLButtonElement;
  get.addEventListener('click', async () => {
    if (used) return;
    used = true;
    get.disabled = true;
    try {
      const r = await call(`/api/resources/${enc}/activationKey`, { headers: { [TOKEN_HEADER]: token } });
      const key = (await r.json() as { activationKey: string }).activationKey;
      const field = h('input', { id: 'activation-key', readonly: true, value: key, 'data-testid': 'activation-key', 'aria-label': 'Activation key' }) as HTMLInputElement;
      const status = h('span', { role: 'status' });
      clear(box);
      box.append(h('p', {}, 'Copy this key now and enter it in the device\'s local web UI. It is handed out once; EdgeKv keeps no copy.'),
        h('div', { class: 'inline' }, field,
          h('button', { type: 'button', 'data-testid': 'copy-key', onclick: async () => {
            try { await navigator.clipboard.writeText(key); status.textContent = 'Copied.'; } catch { field.select(); status.textContent = 'Select the text and copy it (Ctrl+C).'; }
          } }, 'Copy')), status);
    } catch (e) { box.append(message((e as Error).message)); }
  });
  box.append(get);
}

function deleteSection(name: string, g: number): HTMLElement {
  const typed = h('input', { id: 'confirm-name', autocomplete: 'off' }) as HTMLInputElement;
  const vault = h('input', { id: 'confirm-vault', autocomplete: 'off', placeholder: 'Yes or No' }) as HTMLInputElement;
  const go = h('button', { type: 'submit', class: 'danger', disabled: true, 'data-testid': 'delete' }, 'Delete') as HTMLButtonElement;
  const progress = h('div');
  const check = () => { go.disabled = typed.value !== name || !['Yes', 'No'].includes(vault.value); };
  typed.addEventListener('input', check);
  vault.addEventListener('input', check);
  return section('Delete', 'delete',
    h('p', {}, 'Deletes the Azure Stack Edge resource. Type Yes to delete its key vault too (soft-deleted, recoverable for 90 days), or No to keep the vault, unlocked, for its other users.'),
    h('form', { class: 'filters', onsubmit: async (e: Event) => {
      e.preventDefault();
      go.disabled = true;
      try {
        const response = await call(`/api/resources/${encodeURIComponent(name)}?confirm=${encodeURIComponent(typed.value)}&deleteVault=${vault.value}`, { method: 'DELETE' });
        const r = { body: await response.json() as { statusQueryGetUri: string } };
        const final = await follow(progress, relative(r.body.statusQueryGetUri), g);
        if (final?.runtimeStatus === 'Completed') progress.append(h('p', {}, 'Deleted. ', h('a', { href: '#/' }, 'Back to the fleet')));
      } catch (e) { progress.append(message((e as Error).message)); }
    } },
      h('label', { for: 'confirm-name' }, `Type the resource name (${name})`), typed,
      h('label', { for: 'confirm-vault' }, 'Delete the key vault too? Type Yes or No'), vault, go),
    progress);
}
