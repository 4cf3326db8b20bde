/**
 * The shape of an action's table of inputs: each input's name in action.yml and its default
 * as action.yml writes it. One table per action holds both, so the code's defaults and the
 * manifest's are checked against each other by a test, not kept in step by hand.
 */

/** One input of an action.yml. */
export interface InputDef {
  /** The name under `inputs:`. */
  readonly name: string;
  /** The `default:` as action.yml writes it; absent when the input has none. */
  readonly default?: string;
}

/** The input names of a table, by key, with their literal types. */
export type InputNames<T extends Record<string, InputDef>> = {
  readonly [K in keyof T]: T[K]['name'];
};

/** The names of a table's inputs, by key (`Input.Region` is `'aws-region'`). */
export function inputNames<T extends Record<string, InputDef>>(table: T): InputNames<T> {
  return Object.fromEntries(
    Object.entries(table).map(([key, def]) => [key, def.name]),
  ) as InputNames<T>;
}

/** Each input's default by name: '' for an input without one, as the runner passes it. */
export function inputDefaults<T extends Record<string, InputDef>>(
  table: T,
): Readonly<Record<T[keyof T]['name'], string>> {
  return Object.fromEntries(
    Object.values(table).map((def) => [def.name, def.default ?? '']),
  ) as Record<T[keyof T]['name'], string>;
}
