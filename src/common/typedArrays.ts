export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

function empty<T extends TypedArray>(like: T, capacity: number): T {
  return new (like.constructor as new (length: number) => T)(capacity);
}

/**
 * A copy of `array` with room for `capacity` elements, the new ones zero. Column stores grow by
 * doubling, so the copies cost amortised O(1) per element and nothing is allocated per event.
 */
export function grown<T extends TypedArray>(array: T, capacity: number): T {
  const next = empty(array, capacity);
  next.set(array);
  return next;
}

/**
 * A copy of the full ring `array`, whose oldest element is at `head`, with room for `capacity`
 * elements and the oldest moved to index 0, so that the ring's mask can simply widen.
 */
export function grownRing<T extends TypedArray>(array: T, head: number, capacity: number): T {
  const next = empty(array, capacity);
  next.set(array.subarray(head));
  next.set(array.subarray(0, head), array.length - head);
  return next;
}
