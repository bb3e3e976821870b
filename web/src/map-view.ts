// The map: maplibre-gl with a style built here (background, Natural Earth country polygons from
// world-atlas) and nothing fetched from elsewhere: no tiles, glyphs or sprites. Events are one
// clustered GeoJSON source; cluster counts are HTML markers, since without glyphs a symbol layer
// cannot draw text.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesTopology from 'world-atlas/countries-110m.json';
import type { Dataset } from './dataset.js';
import { fmtInt } from './dom.js';
import { TYPE_COLOURS, TYPE_NAMES, UNKNOWN_TYPE } from './types.js';

maplibregl.setWorkerUrl(workerUrl);

type FC = GeoJSON.FeatureCollection<GeoJSON.Point, { i: number; t: number }>;
const EMPTY: FC = { type: 'FeatureCollection', features: [] };

export interface MapHandlers {
  onSelect(id: string): void;
  onViewChange(view: string): void;
}

/**
 * A ring that crosses the antimeridian (Russia, Fiji) jumps from 180° to -180°; drawn on a flat map
 * that jump is a band across the whole world. Shift the points after each jump by 360° so the ring
 * runs on past 180° instead (maplibre draws longitudes beyond ±180 on the next world copy).
 */
function unwrapRing(ring: GeoJSON.Position[]): GeoJSON.Position[] {
  let offset = 0;
  const out = ring.map((p, k) => {
    if (k > 0) {
      const d = p[0]! - ring[k - 1]![0]!;
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    return [p[0]! + offset, p[1]!];
  });
  // A ring around a pole never closes that way: keep it as it was.
  return offset === 0 ? out : ring;
}

function countries(): GeoJSON.FeatureCollection {
  const topo = countriesTopology as unknown as Topology<{ countries: GeometryCollection }>;
  const fc = feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection;
  // Antarctica (ISO 010) is a ring around the pole; conflict events are not recorded there.
  fc.features = fc.features.filter((f) => String(f.id) !== '010');
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrapRing);
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
  }
  return fc;
}

function typeColourExpression(): maplibregl.ExpressionSpecification {
  const pairs: (number | string)[] = [];
  TYPE_NAMES.forEach((_, i) => pairs.push(i, TYPE_COLOURS[i]!));
  return ['match', ['get', 't'], ...pairs, TYPE_COLOURS[UNKNOWN_TYPE]!] as unknown as maplibregl.ExpressionSpecification;
}

function style(): maplibregl.StyleSpecification {
  return {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: countries() },
      events: { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 38, clusterMaxZoom: 8 },
      selected: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#d9e4ec' } },
      { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f6f5f1' } },
      { id: 'countries-line', type: 'line', source: 'countries', paint: { 'line-color': '#a9b1b8', 'line-width': 0.6 } },
      {
        id: 'clusters',
        type: 'circle',
        source: 'events',
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': '#34495e',
          'circle-opacity': 0.82,
          'circle-radius': ['step', ['get', 'point_count'], 11, 10, 14, 100, 18, 1000, 23, 10000, 28],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'points',
        type: 'circle',
        source: 'events',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': typeColourExpression(),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 4, 8, 6, 12, 8],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'selected',
        type: 'circle',
        source: 'selected',
        paint: {
          'circle-radius': 11,
          'circle-opacity': 0,
          'circle-stroke-color': '#111111',
          'circle-stroke-width': 3,
        },
      },
    ],
  };
}

export function parseView(view: string): { center: [number, number]; zoom: number } | null {
  const [lon, lat, zoom] = view.split(',').map(Number);
  if ([lon, lat, zoom].some((v) => v === undefined || !Number.isFinite(v))) return null;
  if (Math.abs(lat!) > 85 || Math.abs(lon!) > 360 || zoom! < 0 || zoom! > 22) return null;
  return { center: [lon!, lat!], zoom: zoom! };
}

export class MapView {
  /** Where the last show() spent its time, ms: waiting for the style, the worker's indexing, drawing. */
  readonly timings = { styleWait: 0, setData: 0, paint: 0 };
  /** False when the browser could not give maplibre a WebGL context; the rest of the UI still works. */
  readonly available: boolean;
  private readonly map: maplibregl.Map | null = null;
  private readonly loaded: Promise<void>;
  private shown: Dataset | null = null;
  private readonly countMarkers = new Map<number, maplibregl.Marker>();
  /** Set for a move the analyst started without a DOM event of its own (a click on a cluster). */
  private userMove = false;

  constructor(
    container: HTMLElement,
    private readonly handlers: MapHandlers,
    initialView: string,
  ) {
    const view = parseView(initialView);
    try {
      this.map = new maplibregl.Map({
        container,
        style: style(),
        center: view?.center ?? [20, 15],
        zoom: view?.zoom ?? 1.3,
        attributionControl: { compact: true, customAttribution: 'Natural Earth' },
        dragRotate: false,
        pitchWithRotate: false,
        maxZoom: 16,
        fadeDuration: 0,
      });
      this.available = true;
    } catch (err) {
      this.available = false;
      container.classList.add('map-unavailable');
      container.textContent = `Map unavailable: ${err instanceof Error ? err.message : String(err)}`;
      this.loaded = Promise.resolve();
      return;
    }
    const map = this.map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    // The events can go to the worker as soon as the style is parsed and their source exists; no need
    // to wait for 'load' (the country polygons drawn), which under a software renderer takes a while.
    this.loaded = new Promise((resolve) => {
      const check = (): void => {
        if (!map.getSource('events')) return;
        map.off('styledata', check);
        resolve();
      };
      map.on('styledata', check);
      check();
    });
    map.on('click', 'clusters', (e) => void this.clickCluster(e));
    map.on('click', 'points', (e) => {
      const f = e.features?.[0];
      const i = Number(f?.properties?.['i']);
      const id = this.shown?.id[i];
      if (id) this.handlers.onSelect(id);
    });
    // A one-line label for the point under the pointer (text only: it names places from reports).
    const hover = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 8, className: 'hover-popup' });
    map.on('mousemove', 'points', (e) => {
      const i = Number(e.features?.[0]?.properties?.['i']);
      const d = this.shown;
      if (!d || !(i >= 0 && i < d.n)) return;
      const text = document.createElement('div');
      text.textContent = `${d.date[i] ?? 'undated'} · ${d.subType[i] ?? TYPE_NAMES[d.type[i]!] ?? ''} · ${d.location[i] ?? d.country[i] ?? ''}`;
      hover.setLngLat([d.lon[i]!, d.lat[i]!]).setDOMContent(text).addTo(map);
    });
    map.on('mouseleave', 'points', () => hover.remove());
    for (const layer of ['clusters', 'points']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    map.on('idle', () => this.updateCountMarkers());
    // Only the analyst's own moves go to the URL (not the first fit, nor a resize).
    map.on('moveend', (e: { originalEvent?: unknown }) => {
      if (!e.originalEvent && !this.userMove) return;
      this.userMove = false;
      const c = map.getCenter();
      this.handlers.onViewChange(`${c.lng.toFixed(3)},${c.lat.toFixed(3)},${map.getZoom().toFixed(2)}`);
    });
  }

  private async clickCluster(e: maplibregl.MapLayerMouseEvent): Promise<void> {
    const map = this.map;
    const f = e.features?.[0];
    if (!map || !f || f.geometry.type !== 'Point') return;
    const source = map.getSource<maplibregl.GeoJSONSource>('events');
    const clusterId = Number(f.properties?.['cluster_id']);
    if (!source) return;
    const zoom = await source.getClusterExpansionZoom(clusterId);
    this.userMove = true;
    map.easeTo({ center: f.geometry.coordinates as [number, number], zoom: Math.min(zoom, map.getMaxZoom()) });
  }

  /** Draw the events at `indices`; resolves with how many were drawn once the map has rendered them. */
  async show(data: Dataset, indices: Uint32Array): Promise<number> {
    const features: FC['features'] = [];
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      const lat = data.lat[i]!;
      const lon = data.lon[i]!;
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { i, t: data.type[i]! } });
    }
    const map = this.map;
    if (!map) return features.length;
    let t = performance.now();
    await this.loaded;
    this.timings.styleWait = Math.round(performance.now() - t);
    const source = map.getSource<maplibregl.GeoJSONSource>('events');
    if (!source) return features.length;
    this.shown = data;
    this.clearCountMarkers();
    t = performance.now();
    await source.setData({ type: 'FeatureCollection', features });
    this.timings.setData = Math.round(performance.now() - t);
    t = performance.now();
    await this.rendered();
    this.timings.paint = Math.round(performance.now() - t);
    return features.length;
  }

  /** Resolves after the next frame in which every source is loaded (or after 15 s, whatever happens). */
  private rendered(): Promise<void> {
    const map = this.map;
    if (!map) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, 15_000);
      function done(): void {
        clearTimeout(timer);
        map!.off('idle', done);
        resolve();
      }
      map.on('idle', done);
      map.triggerRepaint();
    });
  }

  select(data: Dataset | null, index: number): void {
    const source = this.map?.getSource<maplibregl.GeoJSONSource>('selected');
    if (!source) return;
    const lat = index >= 0 && data ? data.lat[index]! : NaN;
    const lon = index >= 0 && data ? data.lon[index]! : NaN;
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
      void source.setData(EMPTY);
      return;
    }
    void source.setData({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: {} });
  }

  /** Pan to an event if it lies outside the visible part of the map. */
  reveal(lat: number | null, lon: number | null): void {
    const map = this.map;
    if (!map || lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
    if (map.getBounds().contains([lon, lat])) return;
    map.easeTo({ center: [lon, lat], duration: 400 });
  }

  fit(data: Dataset, indices: Uint32Array, animate = true): void {
    const map = this.map;
    if (!map) return;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      const lat = data.lat[i]!;
      const lon = data.lon[i]!;
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    if (!Number.isFinite(minLon)) return;
    map.fitBounds(
      [
        [minLon, minLat],
        [maxLon, maxLat],
      ],
      { padding: 40, maxZoom: 7, animate },
    );
  }

  resize(): void {
    this.map?.resize();
  }

  private clearCountMarkers(): void {
    for (const marker of this.countMarkers.values()) marker.remove();
    this.countMarkers.clear();
  }

  private updateCountMarkers(): void {
    const map = this.map;
    if (!map || !map.getLayer('clusters')) return;
    const seen = new Set<number>();
    const features = map.queryRenderedFeatures({ layers: ['clusters'] });
    for (const f of features.slice(0, 400)) {
      if (f.geometry.type !== 'Point') continue;
      const id = Number(f.properties['cluster_id']);
      if (seen.has(id)) continue;
      seen.add(id);
      const count = Number(f.properties['point_count']);
      const coords = f.geometry.coordinates as [number, number];
      let marker = this.countMarkers.get(id);
      if (!marker) {
        const label = document.createElement('div');
        label.className = 'cluster-count';
        label.textContent = count >= 10_000 ? `${Math.round(count / 1000)}k` : count >= 1000 ? `${(count / 1000).toFixed(1)}k` : fmtInt(count);
        marker = new maplibregl.Marker({ element: label }).setLngLat(coords).addTo(map);
        this.countMarkers.set(id, marker);
      } else {
        marker.setLngLat(coords);
      }
    }
    for (const [id, marker] of this.countMarkers) {
      if (!seen.has(id)) {
        marker.remove();
        this.countMarkers.delete(id);
      }
    }
  }
}
