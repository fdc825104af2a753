// Source maps, just enough to point a runtime error at the line of the cell that raised it.

export interface Position {
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** For each generated line, its segments [generatedColumn, sourceLine, sourceColumn], sorted by column. */
export type LineMap = [number, number, number][][];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export function decodeMappings(mappings: string): LineMap {
  let sourceLine = 0;
  let sourceColumn = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    const segments: [number, number, number][] = [];
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const [dc, , dl, dsc] = decodeVlq(segment);
      column += dc;
      if (dl === undefined) continue;
      sourceLine += dl;
      sourceColumn += dsc ?? 0;
      segments.push([column, sourceLine, sourceColumn]);
    }
    return segments;
  });
}

export function lookup(map: LineMap, at: Position): Position | undefined {
  const segments = map[at.line];
  if (!segments?.length) return undefined;
  let best = segments[0];
  for (const segment of segments) if (segment[0] <= at.column) best = segment;
  return { line: best[1], column: best[2] };
}

/** Maps through `first` then `second`: generated -> intermediate -> original. */
export function compose(first: LineMap, second: LineMap): (at: Position) => Position | undefined {
  return (at) => {
    const middle = lookup(first, at);
    return middle && lookup(second, middle);
  };
}

/** Reads the mappings of a `//# sourceMappingURL=data:...;base64,` comment and returns the code without it. */
export function takeInlineMap(code: string): { code: string; mappings?: string } {
  const match = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!match) return { code };
  const map = JSON.parse(Buffer.from(match[1], 'base64').toString()) as { mappings: string };
  return { code: code.slice(0, match.index), mappings: map.mappings };
}
