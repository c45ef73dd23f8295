/**
 * The extension's development id, fixed by the public `key` in manifest.json (a unit test recomputes it from
 * the key, so the two cannot drift). Store builds get their own ids: pass them to `install --extension-id`.
 */
export const DEV_EXTENSION_ID = 'gpgidagdndlidklfiinoafehceojjlha';
