// Makes compiled cell code interruptible: every loop iteration and every resumed `await` asks the kernel whether the
// cell was interrupted. Edits are insertions without newlines, so line numbers (and the source map) stay valid.
import { createRequire } from 'node:module';
import type * as TypeScript from '@tslab/typescript-for-tslab';

const require = createRequire(import.meta.url);

/** The global object the instrumented code calls; the executor defines it. */
export const HOOKS = '__gcnlab__';

export function instrument(js: string): string {
  // Required here, not imported: the executor imports HOOKS on the main thread, which must not load TypeScript (43 MiB
  // of resident set there); in the compiler thread converter.ts has loaded it already, so this is a cache hit.
  const ts = require('@tslab/typescript-for-tslab') as typeof TypeScript;
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const inserts: [number, string][] = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isAwaitExpression(node)) {
      inserts.push([node.getStart(file), `${HOOKS}.after(`], [node.end, ')']);
    } else if (ts.isIterationStatement(node, false)) {
      const body = node.statement;
      if (ts.isBlock(body)) {
        inserts.push([body.getStart(file) + 1, `${HOOKS}.tick();`]);
      } else {
        inserts.push([body.getStart(file), `{${HOOKS}.tick();`], [body.end, '}']);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Apply from the end so earlier offsets stay valid; stable for equal offsets (an await closing where a loop ends).
  inserts.sort((a, b) => b[0] - a[0]);
  let out = js;
  for (const [at, text] of inserts) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
