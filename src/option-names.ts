// Options objects checked for names their function does not take: `{ epoch: 5 }` for `{ epochs: 5 }` would
// otherwise be ignored without a word, and train for the default 200 epochs.
import { UnknownOptionError } from './errors.js';
import { nearMiss } from './near-miss.js';

/**
 * Every option a function takes, as the keys of an object: `satisfies Record<keyof Required<Options>, true>` makes
 * the compiler hold the list to the interface, a key added to one and not the other being a type error.
 */
export type OptionNames<T> = Record<keyof Required<T>, true>;

/** Throws UnknownOptionError for the first key of `options` that `names` lacks. */
export function checkOptionNames<T extends object>(where: string, options: T, names: OptionNames<T>): void {
  const known = Object.keys(names);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(names, key)) throw new UnknownOptionError(where, key, known, nearMiss(key, known));
  }
}
