// plotly.js from the installed npm package, for HTML that must draw charts offline (no CDN).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let scriptTag: string | undefined;

/** A <script> tag that defines window.Plotly unless it is already there; built once (plotly.js is about 4.7 MB). */
export function plotlyScriptTag(): string {
  // "</script" inside the library would end the tag early; escaping the slash keeps the JavaScript identical.
  scriptTag ??= `<script>if (!window.Plotly) {\n${plotlySource().replace(/<\/script/gi, '<\\/script')}\n}</script>`;
  return scriptTag;
}

/** The minified plotly.js bundle from the installed package. */
function plotlySource(): string {
  return readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
}
