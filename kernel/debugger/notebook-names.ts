// The debug console in a paused frame: the variables earlier cells defined are not in any frame's scope (the cells'
// compiled code reads them as exports.<name>), so a name the console meets is read and assigned through the
// notebook's store, as the cell's own code at that point reads and assigns it.
import type * as TypeScript from '@tslab/typescript-for-tslab';
import { consoleTypeScript } from './typescript-expression.js';

/** Where the kernel keeps the variables cells define (kernel/executor.ts: __gcnlab_cell__.locals). */
export const NOTEBOOK_STORE = 'globalThis.__gcnlab_cell__.locals';

/** Those of `names` that `expression` spells as a word (a property name too): the only ones it can refer to. */
export function spelledIn(expression: string, names: Iterable<string>): Set<string> {
  const words = new Set(expression.match(/[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*/gu) ?? []);
  return new Set([...names].filter((name) => words.has(name)));
}

/**
 * `expression` (JavaScript) with each free reference to one of `names` (the notebook's variables the frame does not
 * bind) rewritten as `store.name`: `level = 1000` becomes `store.level = 1000`, `{ level }` becomes
 * `{ level: store.level }`. A name the expression itself declares (a parameter, a `let`) is left alone everywhere.
 */
export function throughNotebook(expression: string, names: ReadonlySet<string>, store = NOTEBOOK_STORE): string {
  // TypeScript is loaded only for an expression that spells one of the names (see spelledIn).
  if (names.size === 0) return expression;
  const t = consoleTypeScript();
  const file = t.createSourceFile('console.js', expression, t.ScriptTarget.ES2022, true, t.ScriptKind.JS);
  const declared = new Set<string>();
  const edits: { start: number; end: number; name: string; text: string }[] = [];
  const declares = (p: TypeScript.Node, node: TypeScript.Identifier) =>
    (t.isVariableDeclaration(p) || t.isParameter(p) || t.isFunctionDeclaration(p) || t.isFunctionExpression(p) || t.isClassDeclaration(p) || t.isClassExpression(p) || t.isBindingElement(p)) && p.name === node;
  // Names that are not references: property names, keys, members, labels, a binding's property name.
  const notReference = (p: TypeScript.Node, node: TypeScript.Identifier) =>
    ((t.isPropertyAccessExpression(p) || t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p) || t.isGetAccessorDeclaration(p) || t.isSetAccessorDeclaration(p)) && p.name === node) ||
    (t.isBindingElement(p) && p.propertyName === node) ||
    t.isLabeledStatement(p) || t.isBreakOrContinueStatement(p);
  const visit = (node: TypeScript.Node): void => {
    if (t.isIdentifier(node) && node.parent) {
      const p = node.parent;
      if (declares(p, node)) declared.add(node.text);
      else if (names.has(node.text) && !notReference(p, node)) {
        const text = t.isShorthandPropertyAssignment(p) ? `${node.text}: ${store}.${node.text}` : `${store}.${node.text}`;
        edits.push({ start: node.getStart(file), end: node.getEnd(), name: node.text, text });
      }
    }
    t.forEachChild(node, visit);
  };
  visit(file);
  let out = expression;
  for (const e of edits.filter((e) => !declared.has(e.name)).sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
