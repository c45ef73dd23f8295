/** The launch's `title`: a VM-name-like string, or the request is refused naming the field. */
import { describe, expect, it } from 'vitest';
import { launchTitle, parseRequest } from '../../../shared/protocol';

const launch = (title: unknown) => parseRequest({ v: 1, id: 't', type: 'launch', rdp: 'x', title });

describe('the launch title', () => {
  it.each(['vm-bastion', 'web 01', 'a.b_c-D9', 'x'.repeat(80)])('%s is taken as it is', (title) => {
    expect(launch(title)).toMatchObject({ ok: true, request: { title } });
  });

  it.each([
    ['too long', 'x'.repeat(81)],
    ['empty', ''],
    ['a slash', '../etc'],
    ['a colon', 'vm:1'],
    ['a line break', 'vm\n1'],
    ['a non-ASCII letter', 'vm-é'],
    ['not a string', 7],
  ])('%s is E_BAD_MESSAGE naming "title"', (_, title) => {
    const parsed = launch(title);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reply.error.code).toBe('E_BAD_MESSAGE');
    expect(parsed.reply.error.message).toMatch(/"title"/);
  });

  it('a launch without a title has none', () => {
    const parsed = parseRequest({ v: 1, id: 't', type: 'launch', rdp: 'x' });
    expect(parsed.ok && 'title' in parsed.request).toBe(false);
  });

  it('a VM name becomes the title only when it fits', () => {
    expect(launchTitle('vm-bastion')).toBe('vm-bastion');
    expect(launchTitle('vm/1')).toBeUndefined();
    expect(launchTitle('')).toBeUndefined();
  });
});
