import { describe, expect, it } from 'vitest';
import { isOlderNode, MIN_NODE, nodeVersionProblem } from '../../../host/node-version';

describe('isOlderNode', () => {
  it.each([
    ['20.18.3', true],
    ['20.9.0', true],
    ['18.20.4', true],
    ['v16.0.0', true],
    ['20.19.0', false],
    ['20.19', false],
    ['20.20.2', false],
    ['22.0.0', false],
    ['v24.1.0', false],
    ['20.19.0-pre', false],
  ])('%s is older than 20.19.0: %s', (found, older) => {
    expect(isOlderNode(found)).toBe(older);
  });

  it('matches package.json engines', async () => {
    const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default;
    expect(pkg.engines.node).toBe(`>=${MIN_NODE.replace(/\.0$/, '')}`);
  });
});

describe('nodeVersionProblem', () => {
  it('is one sentence naming the version found and what to install', () => {
    const text = nodeVersionProblem('v18.20.4');
    expect(text).toMatch(/found 18\.20\.4: install Node 20\.19 or later/);
    expect(text?.split('\n')).toHaveLength(1);
    expect(nodeVersionProblem(process.versions.node)).toBeNull();
  });
});
