import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Charts drawn on the server as SVG with Observable Plot, so the page needs no JavaScript. Each
 * chart is an image with a name saying what it shows.
 *
 * The site's CSP allows styles only from its own files (style-src 'self'), and Plot puts a
 * <style> element in its SVG: that element is removed and the chart carries the class
 * `app-chart`, styled in public/app.css. Presentation attributes (fill, stroke) are not styles
 * and the CSP allows them.
 */

export interface RenderedChart {
  /** What the chart shows, also its accessible name. */
  readonly label: string;
  /** The SVG markup, safe to place in the page as it is (built through the DOM, so escaped). */
  readonly svg: string;
}

/** The few DOM operations used on Plot's output (the project builds without the DOM types). */
interface SvgNode {
  readonly outerHTML: string;
  readonly firstChild: SvgNode | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): Iterable<SvgNode>;
  insertBefore(node: SvgNode, before: SvgNode | null): void;
  remove(): void;
  textContent: string | null;
}
interface SvgDocument {
  createElementNS(ns: string, name: string): SvgNode;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 260;

const axisDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date as a UTC midnight, only for placing it on the time axis. */
export function utcDate(plainDate: string): Date {
  const [y, m, d] = plainDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * The time axis: ticks at the dates measured when there are few of them, so a short span never
 * gets hour ticks and every tick is a day the patient was seen.
 */
export function timeAxis(dates: readonly string[]) {
  const unique = [...new Set(dates)].sort();
  return {
    type: 'utc' as const,
    label: 'Date recorded',
    inset: 24,
    tickFormat: (d: Date) => axisDate.format(d),
    ...(unique.length <= 5 ? { ticks: unique.map(utcDate) } : { ticks: 5 }),
  };
}

function finish(plot: unknown, document: SvgDocument, label: string): string {
  // Plot returns an <svg> (no legend is ever asked for, so never a <figure>).
  const svg = plot as SvgNode;
  for (const style of [...svg.querySelectorAll('style')]) {
    style.remove();
  }
  for (const styled of [svg, ...svg.querySelectorAll('[style]')]) {
    styled.removeAttribute('style');
  }
  // Plot names each group of marks with aria-label, which ARIA does not allow on an element
  // with no role (axe: aria-prohibited-attr). The image is named once, on the <svg>; the
  // groups keep their names as data attributes.
  for (const group of [...svg.querySelectorAll('[aria-label]')]) {
    group.setAttribute('data-mark', group.getAttribute('aria-label') ?? '');
    group.removeAttribute('aria-label');
  }
  for (const described of [svg, ...svg.querySelectorAll('[aria-description]')]) {
    described.removeAttribute('aria-description');
  }
  svg.setAttribute('class', 'app-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = label;
  svg.insertBefore(title, svg.firstChild);
  return svg.outerHTML;
}

/** A fresh server-side DOM for one chart (typed by hand: linkedom's types need the DOM's). */
function newDocument(): SvgDocument {
  const window: unknown = parseHTML('<!doctype html><html><body></body></html>');
  return (window as { readonly document: SvgDocument }).document;
}

export function render(label: string, options: Record<string, unknown>): RenderedChart {
  const document = newDocument();
  const plot: unknown = Plot.plot({
    document,
    width: WIDTH,
    height: HEIGHT,
    marginLeft: 56,
    marginRight: 56,
    marginBottom: 40,
    ...options,
  });
  return { label, svg: finish(plot, document, label) };
}

export interface Point {
  readonly date: Date;
  readonly value: number | string;
  readonly series: string;
}

export interface Series {
  readonly name: string;
  readonly dash: string;
  readonly symbol: string;
  /** Moves the name up or down, so two series ending at the same value stay readable. */
  readonly dy: number;
}

/** A line with a dot at each value, and the series' name at its last point (no colour key). */
export function seriesMarks(points: readonly Point[], series: readonly Series[]) {
  return series.flatMap(({ name, dash, symbol, dy }) => {
    const mine = points.filter((p) => p.series === name);
    if (mine.length === 0) {
      return [];
    }
    const last = mine.slice(-1);
    return [
      Plot.line(mine, {
        x: 'date',
        y: 'value',
        stroke: 'currentColor',
        strokeWidth: 2,
        strokeDasharray: dash,
      }),
      Plot.dot(mine, { x: 'date', y: 'value', r: 4, fill: 'currentColor', symbol }),
      Plot.text(last, {
        x: 'date',
        y: 'value',
        text: () => name,
        dx: 8,
        dy,
        textAnchor: 'start',
        fontSize: 12,
      }),
    ];
  });
}
