// Inside a call's parentheses there is often no name at the cursor (`Math.max(` or `Math.max(1, `): IPython then
// inspects the function being called, and so do we.
import type * as TypeScript from '@tslab/typescript-for-tslab';
import { ts } from './converter.js';

/**
 * Where the callee's name ends, for the innermost call or `new` whose argument list holds `position` (from just
 * after its open parenthesis to just after its close, or to the end of the cell where it is not closed yet);
 * undefined outside every call.
 */
export function calleeEnd(src: string, position: number): number | undefined {
  const file = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  let end: number | undefined;
  // Every node is visited (a cell is small): an unclosed call ends at its last argument, before the cursor, and so
  // do the statements around it.
  const visit = (node: TypeScript.Node): void => {
    if (position < node.pos) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && position >= node.arguments.pos) {
      const closed = src[node.end - 1] === ')';
      if (position <= node.end || !closed) end = node.expression.end;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return end;
}
