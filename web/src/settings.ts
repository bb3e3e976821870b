// The settings popover: the bearer token that writes need, kept in this browser's localStorage.
import { getToken, getUser, setToken, setUser } from './api.js';
import { el } from './dom.js';
import { toast } from './toast.js';

export function settingsControl(): HTMLElement {
  const button = el('button', { type: 'button', class: 'icon-button', title: 'Settings', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'data-testid': 'settings' }, '⚙');
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'token-input', placeholder: 'bearer token' });
  const user = el('input', { name: 'user', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'user-input', placeholder: 'your name', maxlength: '100' });
  const save = el('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = el(
    'form',
    {},
    el('label', {}, 'API token', input),
    el('p', { class: 'muted small' }, 'Needed to confirm, reject, edit, merge or split. Stored in this browser only.'),
    el('label', {}, 'Name for the audit log', user),
    el('div', { class: 'row' }, save),
  );
  const popover = el('div', { class: 'popover', role: 'dialog', 'aria-label': 'Settings', hidden: true }, form);
  const wrap = el('div', { class: 'settings' }, button, popover);
  const setOpen = (open: boolean): void => {
    popover.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      input.value = getToken();
      user.value = getUser();
      input.focus();
    }
  };
  button.addEventListener('click', () => setOpen(popover.hidden));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    setUser(user.value.trim());
    setOpen(false);
    toast(input.value.trim() ? 'Settings saved' : 'Settings saved (no token: read-only)');
  });
  popover.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener('pointerdown', (e) => {
    if (!popover.hidden && !wrap.contains(e.target as Node)) setOpen(false);
  });
  return wrap;
}
