// The debug console speaks the cells' language: an expression JavaScript cannot parse (`x as number`, `y!`, a
// typed declaration) is stripped of its types by TypeScript's transpiler, loaded on first use, and evaluated again.
import { createRequire } from 'node:module';
import type * as TypeScript from '@tslab/typescript-for-tslab';

let ts: typeof TypeScript | undefined;

/** TypeScript, loaded into the kernel's main thread the first time the console needs it. */
export const consoleTypeScript = (): typeof TypeScript => (ts ??= createRequire(import.meta.url)('@tslab/typescript-for-tslab') as typeof TypeScript);

/** `expression` as JavaScript, its types removed (the trailing semicolon too, so it stays an expression). */
export function withoutTypes(expression: string): string {
  const ts = consoleTypeScript();
  const { outputText } = ts.transpileModule(expression, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  return outputText.trim().replace(/;$/, '');
}
