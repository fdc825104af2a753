// Keeps a horizontal legend below a plotly chart clear of the x axis's labels and title, however many rows it
// wraps to in a narrow sidebar or output: the bottom margin is made to hold the axis labels plus the legend.
import type { Plotly } from './plotly';

/** Room under the plot area for the x axis's tick labels and title (px). */
const AXIS_ROOM = 46;

interface FullLayout {
  legend?: { _height?: number; orientation?: string; yref?: string; y?: number };
  margin?: { b: number };
  showlegend?: boolean;
}

/** After a draw: if the legend sits under the plot, sets the bottom margin to AXIS_ROOM + the legend's height. */
export async function keepLegendClear(plotly: Plotly, node: HTMLElement): Promise<void> {
  const full = (node as unknown as { _fullLayout?: FullLayout })._fullLayout;
  const height = full?.legend?._height;
  if (!full?.showlegend || full.legend?.orientation !== 'h' || !height) return;
  const wanted = Math.ceil(AXIS_ROOM + height + 4);
  const placed = full.legend?.yref === 'container' && full.legend.y === 0;
  // Only a legend under the plot area (negative y on the paper) meets the x axis's labels.
  if (!placed && (full.legend?.y ?? 1) >= 0) return;
  if (placed && Math.abs((full.margin?.b ?? 0) - wanted) <= 2) return;
  await plotly.relayout(node, { 'margin.b': wanted, 'legend.yref': 'container', 'legend.y': 0, 'legend.yanchor': 'bottom', 'legend.x': 0, 'legend.xanchor': 'left' } as never);
}
