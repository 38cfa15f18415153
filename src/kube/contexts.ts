/**
 * More than one context may be used, so every tool takes a `context` argument. Pure and light: the
 * fast start (src/fast-start/) picks its manifest with it before anything else is loaded.
 */
export function severalContexts(contexts: readonly string[], context: string | undefined): boolean {
  return contexts.includes('*') || new Set([...contexts, ...(context ? [context] : [])]).size > 1;
}
