// The compiler thread: tslab's converter type-checks and compiles cells here, so start-up and compiles never block
// the thread that speaks the protocol and runs code. It keeps the declarations of everything defined so far.
import './turbofan-filter.js';
import { parentPort, workerData } from 'node:worker_threads';
import { createConverter, lastMaps, ts, typescriptLoad } from './converter.js';
import { calleeEnd } from './call-at-cursor.js';
import { instrument } from './instrument.js';
import { compose, decodeMappings } from './source-map.js';
import { expandShorthands } from './shorthand.js';
import type { CompileResult, CompilerRequest, CompilerResponse, CompleteResult, InspectResult, IsCompleteResult } from './protocol.js';
import { GLOBALS_MODULE, GLOBALS_DECLARATIONS } from './globals.js';

const { packageRoot, packageName } = workerData as { packageRoot: string; packageName: string };
const converter = createConverter(packageRoot, packageName);
converter.addModule(GLOBALS_MODULE, GLOBALS_DECLARATIONS);
const { isCompleteCode } = (await import('tslab/dist/converter.js')).default as {
  isCompleteCode(src: string): { completed: boolean; indent?: string };
};
let prevDecl = '';

/** Identical cells on identical declarations compile to identical code: re-running a cell skips the type checker. */
const cache = new Map<string, CompileResult>();
const CACHE_SIZE = 64;

function compile(src: string): CompileResult {
  const key = prevDecl + '\0' + src;
  const hit = cache.get(key);
  if (hit) return hit;
  const converted = converter.convert(prevDecl, expandShorthands(prevDecl, src));
  if (converted.diagnostics.length > 0) {
    return {
      ok: false,
      diagnostics: converted.diagnostics.map((d) => ({
        line: d.start.line + 1,
        column: d.start.character + 1,
        code: d.code,
        message: typeof d.messageText === 'string' ? d.messageText : String(d.messageText),
        fileName: d.fileName,
      })),
    };
  }
  const code = converted.output === undefined ? undefined : instrument(converted.output);
  const lines: number[] = [];
  if (code && lastMaps.esm && lastMaps.cjs) {
    // tslab compiles the cell behind a one-line prefix ("export {};"), hence the - 1.
    const toCell = compose(decodeMappings(lastMaps.cjs), decodeMappings(lastMaps.esm));
    const count = code.split('\n').length;
    for (let line = 0; line < count; line++) lines.push((toCell({ line, column: 0 })?.line ?? 0) - 1);
  }
  const result: CompileResult = {
    ok: true,
    code,
    declOutput: converted.declOutput ?? '',
    lastExpressionVar: converted.lastExpressionVar,
    hasToplevelAwait: Boolean(converted.hasToplevelAwait),
    sideOutputs: converted.sideOutputs ?? [],
    lines,
  };
  if (result.sideOutputs.length === 0) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, result);
  }
  return result;
}

function complete(src: string, position: number): CompleteResult {
  const info = converter.complete(prevDecl, src, position);
  return { start: info.start, end: info.end, matches: info.candidates };
}

function inspect(src: string, position: number, detail: number): InspectResult {
  let info = converter.inspect(prevDecl, src, position);
  if (!info || info.kind === '') {
    // No name at the cursor, inside a call's arguments: the function called.
    const callee = calleeEnd(src, position);
    if (callee !== undefined) info = converter.inspect(prevDecl, src, callee);
  }
  // A name nothing declares still gets quick info (kind '', type any): IPython says it is not found, so do we.
  if (!info || info.kind === '') return { found: false, text: '', markdown: '' };
  const signature = ts.displayPartsToString(info.displayParts);
  const docs = ts.displayPartsToString(info.documentation);
  const tags = (info.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`).join('\n');
  const text = [signature, docs, detail > 0 ? tags : ''].filter(Boolean).join('\n\n');
  const markdown = ['```typescript\n' + signature + '\n```', docs, detail > 0 ? tags : ''].filter(Boolean).join('\n\n');
  return { found: true, text, markdown };
}

/** TypeScript's "Unterminated template literal": a template may span lines, so more input can end it. */
const UNTERMINATED_TEMPLATE = 1160;

function isComplete(src: string): IsCompleteResult {
  const result = isCompleteCode(src);
  if (!result.completed) return { status: 'incomplete', indent: result.indent ?? '' };
  // Complete but unparseable (a stray closing brace) is invalid; the kernel would only report a syntax error.
  const file = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as unknown as { parseDiagnostics?: unknown[] };
  const diagnostics = (file.parseDiagnostics ?? []) as { code: number }[];
  if (diagnostics.some((d) => d.code === UNTERMINATED_TEMPLATE)) return { status: 'incomplete', indent: '' };
  return diagnostics.length ? { status: 'invalid' } : { status: 'complete' };
}

function handle(request: CompilerRequest): unknown {
  switch (request.type) {
    case 'compile': {
      const result = compile(request.src);
      // After a first compile the script's functions that compiles use are compiled too, and go into the cache.
      typescriptLoad.save();
      return result;
    }
    case 'commit':
      prevDecl = request.declOutput;
      return undefined;
    case 'complete':
      return complete(request.src, request.position);
    case 'inspect':
      return inspect(request.src, request.position, request.detail);
    case 'is-complete':
      return isComplete(request.src);
  }
}

parentPort!.on('message', (request: CompilerRequest) => {
  let response: CompilerResponse;
  try {
    response = { id: request.id, result: handle(request) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(response);
});
parentPort!.postMessage({ id: 0, result: 'ready' } satisfies CompilerResponse);
