// Renders plotly figures to PNG offline: Debian's Chromium (scripts/chromium.mjs), plotly.js from node_modules.
//
//   node scripts/render-plots.mjs FIGURES.json IMAGES.json
//
// FIGURES.json holds a list of plotly figures ({ data, layout, config }); IMAGES.json receives, in the same order,
// { png: BASE64, ms, cut } for each (ms: the time drawing it took; cut: its texts that run past the image's edges) and { launchMs } for the browser start.
// scripts/run-notebooks.py calls this after executing the notebooks, so that every saved chart also carries an image
// that GitHub, nbviewer and nbconvert can show without running plotly's JavaScript.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium } from './chromium.mjs';

/** The size a chart is drawn at in a notebook's output area (one pixel per CSS pixel keeps a notebook small). */
const SIZE = { width: 900, height: 500, scale: 1 };

const [figuresPath, imagesPath] = process.argv.slice(2);
if (!figuresPath || !imagesPath) {
  console.error('usage: node scripts/render-plots.mjs FIGURES.json IMAGES.json');
  process.exit(2);
}

/**
 * WebGL traces (scattergl) need a GPU context that headless Chromium without a GPU does not give; their SVG twins
 * (scatter) draw the same points, so the image uses those. The saved figure keeps scattergl for JupyterLab.
 */
function withoutWebGl(figure) {
  return { ...figure, data: figure.data.map((trace) => (trace.type === 'scattergl' ? { ...trace, type: 'scatter' } : trace)) };
}

const figures = JSON.parse(readFileSync(figuresPath, 'utf8'));
const started = performance.now();
let browser;
try {
  browser = await launchChromium();
} catch (error) {
  console.error(`render-plots: ${error.message}`);
  process.exit(1);
}
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  // Loaded once for every figure of the run.
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('plotly.js-dist-min') });
  const launchMs = performance.now() - started;
  const images = [];
  for (const figure of figures) {
    const { png, ms, cut } = await page.evaluate(
      async ({ figure, size }) => {
        const t0 = performance.now();
        // Drawn at the image's size first, so that a text the image would cut off (a bar's label past the right
        // edge, say) is seen: its box is measured against the chart's.
        const div = document.createElement('div');
        div.style.width = `${size.width}px`;
        div.style.height = `${size.height}px`;
        document.body.replaceChildren(div);
        const layout = { ...(figure.layout ?? {}), width: size.width, height: size.height };
        await window.Plotly.newPlot(div, figure.data, layout, { ...(figure.config ?? {}), staticPlot: true });
        const frame = div.getBoundingClientRect();
        const cut = [...div.querySelectorAll('text')]
          .filter((t) => t.textContent.trim() !== '')
          .filter((t) => {
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5);
          })
          .map((t) => t.textContent);
        const url = await window.Plotly.toImage(div, { format: 'png', ...size });
        window.Plotly.purge(div);
        return { png: url.slice(url.indexOf(',') + 1), ms: performance.now() - t0, cut };
      },
      { figure: withoutWebGl(figure), size: SIZE },
    );
    images.push({ png, ms, cut });
  }
  writeFileSync(imagesPath, JSON.stringify({ launchMs, images }));
} finally {
  await browser.close();
}
