/** Step state as the post step reads it back: JSON written by main, or nothing. */

/** The JSON value of a saved state; undefined when it is empty or not JSON. */
export function parseJsonState(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
