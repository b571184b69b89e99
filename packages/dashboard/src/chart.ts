/**
 * A time-series chart (uPlot: small, fast on thousands of points, canvas, no dependencies).
 * Series share the x axis (seconds since the Unix epoch).
 */
import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** One line of a chart. */
export interface Series {
  label: string;
  values: (number | null)[];
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

/** A line chart of `series` over `times` (ms since the Unix epoch). */
export function Chart(props: {
  title: string;
  unit: string;
  times: number[];
  series: Series[];
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => s.label).join("\n");
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth || 600),
      height: 180,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { label: props.unit, size: 56 }],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length],
          width: 2,
        })),
      ],
    };
    plot.current = new uPlot(opts, [[], ...props.series.map(() => [])], el);
    const resize = () =>
      plot.current?.setSize({ width: Math.max(320, el.clientWidth), height: 180 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, props.unit]);
  useEffect(() => {
    plot.current?.setData([props.times.map((t) => t / 1000), ...props.series.map((s) => s.values)]);
  });
  return html`<figure class="chart" data-testid=${props.testId}>
    <figcaption>${props.title}</figcaption>
    <div ref=${box}></div>
  </figure>`;
}
