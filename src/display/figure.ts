// The plotly figure type gcnlab builds (plain JSON, so it crosses the kernel wire unchanged), its MIME type, and how to
// tell a figure from other values.

export interface PlotlyTrace {
  type: 'bar' | 'scatter' | 'scattergl';
  name?: string;
  x: (number | string)[];
  y: (number | string)[];
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Plotly JSON as a cell may write it by hand: a figure whose layout may be left out, with animation frames. */
export interface PlotlyJson {
  data: object[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: object[];
}

/** The MIME type of plotly JSON in a Jupyter bundle (JupyterLab's renderer and gcnlab's extension draw it). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const FIGURE_KEYS: readonly string[] = ['data', 'layout', 'config', 'frames'] satisfies (keyof PlotlyJson)[];

/**
 * Whether `value` is a plotly figure: `data` a list of trace objects, `layout` absent or an object, and no keys a
 * figure does not have (so an API answer such as { data: [...], total: 3 } is not drawn as a chart).
 */
export function isPlotlyFigure(value: unknown): value is PlotlyJson {
  const v = value as { data?: unknown; layout?: unknown };
  return (
    typeof v === 'object' && v !== null && Array.isArray(v.data) && v.data.every((t) => typeof t === 'object' && t !== null) &&
    (v.layout === undefined || (typeof v.layout === 'object' && v.layout !== null)) &&
    Object.keys(v).every((k) => FIGURE_KEYS.includes(k))
  );
}
