// What the main thread and the compiler thread say to each other.

export interface Diagnostic {
  /** 1-based, in the cell. */
  line: number;
  column: number;
  code: number;
  message: string;
  /** Set when the error is in another file (a local module the cell imports). */
  fileName?: string;
}

export type CompileResult =
  | { ok: false; diagnostics: Diagnostic[] }
  | {
      ok: true;
      /** CommonJS, instrumented; undefined when the cell only declares types. */
      code?: string;
      declOutput: string;
      lastExpressionVar?: string;
      hasToplevelAwait: boolean;
      sideOutputs: { path: string; data: string }[];
      /** Maps 0-based line of `code` to 0-based line of the cell (index: generated line), -1 where unknown. */
      lines: number[];
    };

export type CompilerRequest =
  | { id: number; type: 'compile'; src: string }
  | { id: number; type: 'commit'; declOutput: string }
  | { id: number; type: 'complete'; src: string; position: number }
  | { id: number; type: 'inspect'; src: string; position: number; detail: number }
  | { id: number; type: 'is-complete'; src: string };

export interface CompleteResult {
  start: number;
  end: number;
  matches: string[];
}

export interface InspectResult {
  found: boolean;
  text: string;
  markdown: string;
}

export type IsCompleteResult = { status: 'complete' } | { status: 'incomplete'; indent: string } | { status: 'invalid' };

export type CompilerResponse = { id: number; result?: unknown; error?: string };
