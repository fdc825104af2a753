// Parsing of the command line's typed values, each with one clear error on bad input.
import { UsageError } from './usage.js';

export function integerOption(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

export function numberOption(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name} must be a number >= ${min}, got '${raw}'`);
  return value;
}

export function choiceOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${raw}'`);
  return raw as T;
}

export function listOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[] | undefined): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
  for (const item of items) {
    if (choices && !(choices as readonly string[]).includes(item)) {
      throw new UsageError(`--${name}: '${item}' is not one of ${choices.join(', ')}`);
    }
  }
  return items as T[];
}
