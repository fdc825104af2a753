// plotly.js from the installed npm package, for HTML that must draw charts offline (no CDN).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let source: string | undefined;

/** The minified plotly.js bundle (about 4.7 MB), read once. */
export function plotlySource(): string {
  source ??= readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
  return source;
}

/** A <script> tag that defines window.Plotly unless it is already there. */
export function plotlyScriptTag(): string {
  // "</script" inside the library would end the tag early; escaping the slash keeps the JavaScript identical.
  const code = plotlySource().replace(/<\/script/gi, '<\\/script');
  return `<script>if (!window.Plotly) {\n${code}\n}</script>`;
}
