import type { SessionArea } from '../../extension/background/grants';

/** An in-memory stand-in for `storage.session`. */
export function memoryArea(): SessionArea {
  const items = new Map<string, unknown>();
  return {
    get: async (k) => (items.has(k) ? { [k]: items.get(k) } : {}),
    set: async (entries) => {
      for (const [k, value] of Object.entries(entries)) items.set(k, value);
    },
    remove: async (k) => {
      items.delete(k);
    },
  };
}
