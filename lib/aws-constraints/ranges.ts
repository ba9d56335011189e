/**
 * Range checks shared by the AWS constraint validators. Each returns what is allowed, in words, when the
 * value breaks the range, and undefined when it is fine, so a caller can build a Problem at its own key.
 */

/** "an integer in `min`-`max` `unit`" unless `value` is one. */
export function integerInRange(value: number, min: number, max: number, unit = ""): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max ? undefined : `an integer in ${range(min, max, unit)}`;
}

/** "a number in `min`-`max` `unit`" unless `value` is a finite one. */
export function numberInRange(value: number, min: number, max: number, unit = ""): string | undefined {
  return Number.isFinite(value) && value >= min && value <= max ? undefined : `a number in ${range(min, max, unit)}`;
}

/** "at most `max` characters" (and at least `min`) unless `text` has that length. */
export function lengthInRange(text: string, min: number, max: number): string | undefined {
  if (text.length >= min && text.length <= max) return undefined;
  return min > 0 ? `${min}-${max} characters` : `at most ${max} characters`;
}

function range(min: number, max: number, unit: string): string {
  const text = `${min.toLocaleString("en-US")}-${max.toLocaleString("en-US")}`;
  return unit === "" ? text : `${text} ${unit}`;
}
