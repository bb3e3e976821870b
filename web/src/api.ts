// The workbench's calls to the sitrep HTTP API (same origin, under /api). Writes carry the
// analyst's bearer token; a failed call throws an ApiError whose message is the server's own.
import type { CompactResponse, EventDetail } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'sitrep.token';
const USER_KEY = 'sitrep.user';

/** A setting kept in the browser (localStorage may be disabled, in private mode: then it is not kept). */
function readSetting(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeSetting(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // (storage disabled: the value lasts as long as the page)
  }
}

/** The analyst's name for the audit log (sent as X-Sitrep-User; the server says "analyst" without it). */
export const getUser = (): string => readSetting(USER_KEY);
export const setUser = (name: string): void => writeSetting(USER_KEY, name);
export const getToken = (): string => readSetting(TOKEN_KEY);
export const setToken = (token: string): void => writeSetting(TOKEN_KEY, token);

function issuePath(path: unknown): string {
  if (Array.isArray(path)) return path.join('.');
  return typeof path === 'string' ? path : '';
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  let issues: { path: string; message: string }[] = [];
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object') {
      const b = body as { error?: unknown; message?: unknown; issues?: unknown };
      const text = typeof b.error === 'string' ? b.error : typeof b.message === 'string' ? b.message : null;
      if (text) message = `${res.status}: ${text}`;
      if (Array.isArray(b.issues)) {
        issues = b.issues.map((i: unknown) => {
          const o = (i ?? {}) as { path?: unknown; message?: unknown };
          return { path: issuePath(o.path), message: String(o.message ?? '') };
        });
      }
    }
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401 && !getToken()) message += ' (set a token under ⚙ Settings)';
  return new ApiError(res.status, message, issues);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET') {
    const token = getToken();
    if (token) headers['authorization'] = `Bearer ${token}`;
    const user = getUser();
    if (user) headers['x-sitrep-user'] = user;
  }
  if (signal) init.signal = signal;
  const res = await fetch(path, init);
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** The server-side filters (dates are applied in the browser so the timeline keeps the full range). */
export interface ServerFilter {
  type?: string;
  subType?: string;
  country?: string;
  admin1?: string;
  actor?: string;
  q?: string;
  minConfidence?: string;
  review?: string;
}

export const MAX_ROWS = 200_000;

export function fetchCompact(filter: ServerFilter, signal?: AbortSignal): Promise<CompactResponse> {
  const params = new URLSearchParams({ format: 'compact', limit: String(MAX_ROWS) });
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  return request<CompactResponse>('GET', `/api/events?${params}`, undefined, signal);
}

const eventPath = (id: string): string => `/api/events/${encodeURIComponent(id)}`;

export function fetchEvent(id: string, signal?: AbortSignal): Promise<EventDetail> {
  return request<EventDetail>('GET', eventPath(id), undefined, signal);
}

export function confirmEvent(id: string, note?: string): Promise<EventDetail> {
  return request('POST', `${eventPath(id)}/confirm`, note ? { note } : {});
}

export function rejectEvent(id: string, note?: string): Promise<EventDetail> {
  return request('POST', `${eventPath(id)}/reject`, note ? { note } : {});
}

/** Correct one field, or several at once (`{fields}`: a kind and its sub-type change together). */
export function editEvent(id: string, fields: Record<string, unknown>, note?: string): Promise<EventDetail> {
  const entries = Object.entries(fields);
  const body: Record<string, unknown> = entries.length === 1 ? { field: entries[0]![0], value: entries[0]![1] } : { fields };
  if (note) body['note'] = note;
  return request('PATCH', eventPath(id), body);
}

export function mergeEvents(id: string, others: string[]): Promise<EventDetail> {
  return request('POST', `${eventPath(id)}/merge`, { others });
}

export function splitEvent(id: string): Promise<EventDetail> {
  return request('POST', `${eventPath(id)}/split`, {});
}
