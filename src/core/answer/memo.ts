/**
 * A bounded memo for pure functions of a string. Passages are immutable within an index generation
 * and the same passages come back for many questions, so their segmentation and terms are computed once.
 * Callers must treat the returned values as read-only.
 */
export function memoizeByString<T>(fn: (key: string) => T, maxEntries = 20_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key: string) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
}
