// Display: plotly figures of benchmarks and training, and MIME bundles for Jupyter and standalone HTML.
export { benchmarkChart, trainingCurvesChart, epochTimesChart, scalingChart, embeddingChart, type ScalingPoint } from './charts.js';
export { PLOTLY_MIME, isPlotlyFigure, type PlotlyFigure, type PlotlyJson, type PlotlyTrace } from './figure.js';
export {
  figureBundle,
  escapeHtml,
  tableBundle,
  benchmarkBundle,
  tensorBundle,
  toMimeBundle,
  htmlPage,
  type MimeBundle,
  type Column,
  type FigureBundleOptions,
} from './mime.js';
