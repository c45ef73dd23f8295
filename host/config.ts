/** The host's own settings: only what a user sets on this machine (never anything a message could choose). */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';

const ConfigSchema = v.object({
  client: v.optional(v.string()),
  /** The user chose to keep the sign-in cache as plaintext where the machine has no protected store. */
  plaintextSignInCache: v.optional(v.boolean()),
  /**
   * The simulated Azure of `npm start` and the tests: sign-in host names → local addresses, the CA to trust, and
   * a file standing in for the OS's protected store. Only this file can set it; no message can.
   */
  simulation: v.optional(
    v.object({
      hosts: v.record(v.string(), v.pipe(v.string(), v.regex(/^127\.0\.0\.1:\d{1,5}$/))),
      caFile: v.string(),
      keyStoreFile: v.optional(v.string()),
    }),
  ),
});
export type HostConfig = v.InferOutput<typeof ConfigSchema>;

/** A missing file is an empty config; a broken one is reported and ignored rather than fatal. */
export function readConfig(file: string): { config: HostConfig; problem?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { config: {} };
  }
  try {
    const parsed = v.safeParse(ConfigSchema, JSON.parse(text));
    if (parsed.success) return { config: parsed.output };
  } catch {
    // Fall through: not JSON.
  }
  return {
    config: {},
    problem: `The config file ${file} is not a JSON object like {"client": "/path/to/client"}.`,
  };
}
