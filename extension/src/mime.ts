// Renders `application/vnd.plotly.v1+json` outputs inline with plotly.js, so the kernel's figures need no Python.
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import type { PLOTLY_MIME as RUNTIME_PLOTLY_MIME, PlotlyJson } from 'gcnlab';
import { keepLegendClear } from './legend';
import { loadPlotly } from './plotly';

// A value cannot cross a type-only import; typing it by the runtime's constant makes any drift a compile error.
export const PLOTLY_MIME: typeof RUNTIME_PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** What an output may hold under PLOTLY_MIME: plotly JSON, every part optional (an empty object draws nothing). */
type Figure = Partial<PlotlyJson>;

export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  private figure: Figure | null = null;

  constructor(private readonly mimeType: string) {
    super();
    this.addClass('jp-gcnlab-plotly');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.figure = (model.data[this.mimeType] ?? {}) as Figure;
    // plotly measures its container: draw once the output is in the page.
    if (this.isAttached) await this.draw();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    void this.draw();
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.isAttached && this.figure) {
      void loadPlotly().then(async (Plotly) => {
        await Plotly.Plots.resize(this.node);
        await keepLegendClear(Plotly, this.node);
      });
    }
  }

  protected override onBeforeDetach(msg: Message): void {
    void loadPlotly().then((Plotly) => Plotly.purge(this.node));
    super.onBeforeDetach(msg);
  }

  private async draw(): Promise<void> {
    if (!this.figure) return;
    const Plotly = await loadPlotly();
    const { data = [], layout = {}, config = {}, frames } = this.figure;
    await Plotly.react(this.node, { data, layout: { autosize: true, ...layout }, config: { displaylogo: false, responsive: true, ...config }, frames } as never);
    // A legend under the plot (the training curves' one) wraps in a narrow output and would cover "epoch".
    await keepLegendClear(Plotly, this.node);
  }
}

export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: 0,
  createRenderer: (options) => new PlotlyRenderer(options.mimeType),
};

const extension: IRenderMime.IExtension = {
  id: 'gcnlab-jupyterlab:plotly',
  description: 'Renders plotly figures (application/vnd.plotly.v1+json) inline.',
  rendererFactory,
  rank: 0,
  dataType: 'json',
};

export default extension;
