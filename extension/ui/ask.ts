/** The shape of `ask` (background-client.ts) that the page stores take, so tests hand them a fake background. */
export type Ask = typeof import('./background-client').ask;
