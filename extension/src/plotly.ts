// plotly.js, loaded on first use so JupyterLab starts without its 4 MB.
import type * as PlotlyModule from 'plotly.js-dist-min';

export type Plotly = typeof PlotlyModule;

let loading: Promise<Plotly> | null = null;

export function loadPlotly(): Promise<Plotly> {
  // A UMD bundle: webpack puts its exports on `default`.
  loading ??= import('plotly.js-dist-min').then((module) => ((module as unknown as { default?: Plotly }).default ?? module));
  return loading;
}
