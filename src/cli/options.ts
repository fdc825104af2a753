// Parsers for the command line's typed values: each accepts only the plain form and refuses the rest in one line.
import { nearMiss } from '../near-miss.js';
import { UsageError } from './usage.js';

// Decimal digits only (with optional _ separators): 0x10, 1e9, -3 and 1.5 are refused, never reinterpreted.
const WHOLE = /^\d+(_\d+)*$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A whole number in [min, max], for an option such as --epochs. */
export function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number {
  const range = `${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`} in plain digits`;
  return (raw) => {
    const value = WHOLE.test(raw) ? Number(raw.replace(/_/g, '')) : NaN;
    if (!(value >= min && value <= max)) throw new UsageError(`--${flag} must be an integer ${range}, got '${raw}'`);
    return value;
  };
}

/**
 * A finite decimal number within bounds (`above`/`below` exclusive, `atLeast`/`atMost` inclusive), for --lr,
 * --dropout; `why` (what goes wrong above `atMost`) ends the refusal of a value above it.
 */
export function decimal(flag: string, bounds: { atLeast?: number; above?: number; below?: number; atMost?: number }, why?: string): (raw: string) => number {
  const range = [
    bounds.atLeast !== undefined ? `>= ${bounds.atLeast}` : undefined,
    bounds.above !== undefined ? `> ${bounds.above}` : undefined,
    bounds.below !== undefined ? `< ${bounds.below}` : undefined,
    bounds.atMost !== undefined ? `<= ${bounds.atMost}` : undefined,
  ].filter(Boolean).join(' and ');
  return (raw) => {
    const value = DECIMAL.test(raw) ? Number(raw) : NaN;
    const inRange =
      Number.isFinite(value) &&
      !(bounds.atLeast !== undefined && value < bounds.atLeast) &&
      !(bounds.above !== undefined && value <= bounds.above) &&
      !(bounds.below !== undefined && value >= bounds.below) &&
      !(bounds.atMost !== undefined && value > bounds.atMost);
    const tooLarge = bounds.atMost !== undefined && value > bounds.atMost;
    if (!inRange) throw new UsageError(`--${flag} must be a number ${range}, got '${raw}'${why && tooLarge ? ` (${why})` : ''}`);
    return value;
  };
}

/** One of a fixed set of words. */
export function choice<T extends string>(flag: string, choices: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${raw}'${nearMiss(raw, choices)}`);
    return raw as T;
  };
}

/** A comma-separated list of words from a fixed set. */
export function list<T extends string>(flag: string, choices: readonly T[]): (raw: string) => T[] {
  return (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new UsageError(`--${flag} needs at least one of ${choices.join(', ')}`);
    for (const item of items) {
      if (!(choices as readonly string[]).includes(item)) throw new UsageError(`--${flag}: '${item}' is not one of ${choices.join(', ')}${nearMiss(item, choices)}`);
    }
    return items as T[];
  };
}

/** A comma-separated list of whole numbers, each in [min, max]. */
export function integers(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number[] {
  const one = integer(flag, min, max);
  return (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new UsageError(`--${flag} needs at least one number`);
    return items.map((item) => {
      try {
        return one(item);
      } catch {
        throw new UsageError(`--${flag}: '${item}' is not an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`} in plain digits`);
      }
    });
  };
}
