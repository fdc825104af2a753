// Display: plotly figures of benchmarks and training, and MIME bundles for Jupyter and standalone HTML.
export { benchmarkChart, trainingCurvesChart, epochTimesChart, scalingChart, embeddingChart, type ScalingPoint } from './charts.js';
export { DEVICE_COLORS, REFERENCE_COLORS, isPlotlyFigure, type PlotlyFigure, type PlotlyTrace } from './figure.js';
export {
  PLOTLY_MIME,
  figureBundle,
  tableBundle,
  benchmarkBundle,
  tensorBundle,
  toMimeBundle,
  htmlPage,
  type MimeBundle,
  type Column,
  type FigureBundleOptions,
} from './mime.js';
