// What the web UI says of itself in `window.__sitrep`, for the browser tests and `sitrep bench --api`
// (one definition: the page writes it, the bench and the tests read it).
export interface SitrepProbe {
  /** True once map, list and timeline show the current data and filters. */
  ready: boolean;
  /** Events drawn on the map (those with coordinates, within the date range). */
  drawn: number;
  /** From the data's arrival (or a filter change) to all three drawn, in ms. */
  renderMs: number;
  /** Events listed (within the date range) and events the server returned. */
  listed: number;
  loaded: number;
  error: string | null;
  /** From navigation start to the first time the page was ready, ms. */
  firstReadyMs?: number;
  /** Where the last render's time went (ms): parsing rows, list + timeline + status, the map. */
  phases: { fetch: number; dataset: number; views: number; map: number; mapStyleWait?: number; mapSetData?: number; mapPaint?: number };
}
