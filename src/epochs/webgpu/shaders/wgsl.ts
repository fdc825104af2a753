// The pieces of WGSL the epoch's kernels are built from: a buffer binding, the matrix a product reads, a float
// literal.

/** A buffer a shader binds: its name in the runner, WGSL element type and access. */
export type Binding = [name: string, type: 'f32' | 'u32' | 'i32' | 'vec4<f32>', access: 'read' | 'read_write' | 'uniform'];

/** The matrix a product reads rows of: `at(r, j)` is its entry (r, j), in the f32 buffer `buffer`. */
export interface Source {
  at: (row: string, col: string) => string;
  buffer: string;
}

/** A buffer of `width` columns (a WGSL expression) as a Source. */
export const bufferSource = (buffer: string, width: string): Source => ({
  at: (row, col) => `${buffer}[${row} * ${width} + ${col}]`,
  buffer,
});

/** x as a WGSL f32 literal. */
export const floatLiteral = (x: number): string => (Number.isInteger(x) ? `${x}.0` : `${x}`);
