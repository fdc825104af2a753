// Shorthand properties that name an earlier cell's declaration, written out in full (`{ devices }` -> `{ devices:
// devices }`) before tslab converts the cell: tslab rewrites references to earlier cells as `exports.name`, but it
// reads a shorthand's name as the property, not as the variable, and leaves it pointing at a local that does not exist.
import type * as TypeScript from '@tslab/typescript-for-tslab';
import { ts } from './converter.js';

/** The names an earlier cell declared, read from tslab's declaration file of earlier cells. */
function declaredNames(prevDecl: string): Set<string> {
  const names = new Set<string>();
  const file = ts.createSourceFile('prev.d.ts', prevDecl, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name)) names.add(decl.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** `src` with every shorthand property that names an earlier cell's declaration expanded; unchanged otherwise. */
export function expandShorthands(prevDecl: string, src: string): string {
  if (!prevDecl) return src;
  const earlier = declaredNames(prevDecl);
  if (earlier.size === 0) return src;
  const file = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const inserts: { at: number; text: string }[] = [];
  // Names the cell declares itself shadow the earlier ones; a shorthand then means the cell's own variable.
  const own = declaredNames(src);
  const visit = (node: TypeScript.Node): void => {
    if (ts.isShorthandPropertyAssignment(node) && !node.objectAssignmentInitializer) {
      const name = node.name.text;
      if (earlier.has(name) && !own.has(name)) inserts.push({ at: node.name.getStart(file), text: `${name}: ` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = src;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
