// Short messages in the corner: the server's errors (with its list of issues) and confirmations.
import { ApiError } from './api.js';
import { el } from './dom.js';

let host: HTMLElement | null = null;

function container(): HTMLElement {
  if (!host) {
    host = el('div', { class: 'toasts', role: 'status', 'aria-live': 'polite', 'data-testid': 'toasts' });
    document.body.appendChild(host);
  }
  return host;
}

export function toast(message: string, kind: 'info' | 'error' = 'info', details: string[] = []): void {
  const item = el('div', { class: `toast ${kind}`, 'data-testid': `toast-${kind}` }, el('div', {}, message), ...details.map((d) => el('div', { class: 'small' }, d)));
  const close = (): void => item.remove();
  item.addEventListener('click', close);
  container().appendChild(item);
  setTimeout(close, kind === 'error' ? 9000 : 3500);
}

export function toastError(err: unknown): void {
  if (err instanceof ApiError) {
    toast(err.message, 'error', err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)));
  } else {
    toast(err instanceof Error ? err.message : String(err), 'error');
  }
}
