import { version } from '../package.json';

/** The host's version, reported by `hello` so the extension can ask for an update. */
export const HOST_VERSION: string = version;
