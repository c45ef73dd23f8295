/**
 * Versions that drift apart are caught (issue 12 point 6): one table names the oldest host each request needs,
 * and a host older than that is told apart, with the update command, before the request is sent.
 */
import { describe, expect, it } from 'vitest';
import { outdatedAdvice } from '../../../extension/background/host-advice';
import { HOST_VERSION } from '../../../host/version';
import { hostTooOldFor, isOlder, MIN_HOST_VERSION, UPDATE_COMMAND } from '../../../shared/host-versions';
import { RESULT_SCHEMAS } from '../../../shared/protocol';

describe('the table of host versions', () => {
  it('names every request type, and no version newer than this release', () => {
    expect(Object.keys(MIN_HOST_VERSION).sort()).toEqual(Object.keys(RESULT_SCHEMAS).sort());
    for (const needed of Object.values(MIN_HOST_VERSION)) expect(isOlder(HOST_VERSION, needed)).toBe(false);
  });

  it('compares versions part by part, numerically', () => {
    expect(isOlder('0.0.9', '0.1.0')).toBe(true);
    expect(isOlder('0.10.0', '0.9.9')).toBe(false);
    expect(isOlder('0.1.0', '0.1.0')).toBe(false);
    expect(isOlder('1.2', '1.2.1')).toBe(true);
  });

  it('an older host is too old for what it lacks; this release is old enough for everything', () => {
    expect(hostTooOldFor('0.0.9', 'token')).toBe(MIN_HOST_VERSION.token);
    for (const type of Object.keys(RESULT_SCHEMAS) as Array<keyof typeof RESULT_SCHEMAS>)
      expect(hostTooOldFor(HOST_VERSION, type)).toBeNull();
  });

  it('the extension says which version a request needs and how to update', () => {
    const advice = outdatedAdvice('0.0.9', 'token');
    expect(advice.code).toBe('E_HOST_OUTDATED');
    expect(advice.message).toBe(
      `The companion host is version 0.0.9, but signing in without an app registration needs version ${MIN_HOST_VERSION.token} or later: run "${UPDATE_COMMAND}" to update it.`,
    );
  });
});
