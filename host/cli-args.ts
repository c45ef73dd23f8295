/** What every command shares: exit codes (docs/PROTOCOL.md §4) and option parsing that reports usage errors. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CLIENT_IDS, isLaunchClient, type LaunchClient } from '../shared/protocol';

export const EXIT = { ok: 0, notReady: 1, usage: 2, noJudgement: 3 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** By name, not `instanceof`: each lazily loaded command bundle carries its own copy of the class. */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}

export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `--client ID`: `auto` or one of shared/protocol.ts's clients. */
export function clientOption(value: string): LaunchClient {
  if (isLaunchClient(value)) return value;
  throw new UsageError(`Unknown client "${value}"; use auto or one of ${CLIENT_IDS.join(', ')}.`);
}
