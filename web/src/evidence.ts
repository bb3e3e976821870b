// A report's text with the evidence spans of an event's fields marked. The text goes in as text
// nodes only (a report may contain anything, markup included); each marked stretch is a <mark> that
// lists the fields it supports, so hovering a field can light up its spans.
import { el } from './dom.js';
import type { Span } from './types.js';

interface Placed {
  start: number;
  end: number;
  field: string;
}

/** Offsets checked against the text: clamped, and moved to the quoted text when they miss it. */
function place(text: string, field: string, span: Span): Placed | null {
  let start = Math.max(0, Math.min(text.length, Math.trunc(Number(span.start))));
  let end = Math.max(0, Math.min(text.length, Math.trunc(Number(span.end))));
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null;
  if (typeof span.text === 'string' && span.text && text.slice(start, end) !== span.text) {
    // Prefer the occurrence nearest the stated offset.
    let best = -1;
    for (let at = text.indexOf(span.text); at >= 0; at = text.indexOf(span.text, at + 1)) {
      if (best < 0 || Math.abs(at - start) < Math.abs(best - start)) best = at;
    }
    if (best >= 0) {
      start = best;
      end = best + span.text.length;
    }
  }
  return end > start ? { start, end, field } : null;
}

/** Build the marked-up text of one report. */
export function renderEvidenceText(text: string, evidence: Partial<Record<string, Span[]>>, label: (field: string) => string): HTMLElement {
  const placed: Placed[] = [];
  for (const [field, spans] of Object.entries(evidence)) {
    for (const span of spans ?? []) {
      const p = place(text, field, span);
      if (p) placed.push(p);
    }
  }
  const cuts = new Set<number>([0, text.length]);
  for (const p of placed) {
    cuts.add(p.start);
    cuts.add(p.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const body = el('div', { class: 'report-text' });
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const piece = text.slice(a, b);
    const fields = [...new Set(placed.filter((p) => p.start <= a && p.end >= b).map((p) => p.field))];
    if (!fields.length) {
      body.appendChild(document.createTextNode(piece));
      continue;
    }
    body.appendChild(el('mark', { class: 'evidence', 'data-fields': fields.join(' '), title: fields.map(label).join(', ') }, piece));
  }
  return body;
}
