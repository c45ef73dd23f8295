// @vitest-environment happy-dom
import { expect, it, vi } from 'vitest';
import { trusted } from '../../../../extension/content/view';
import { userClick } from '../../../support/dom';

it('trusted() passes real events and drops made-up ones', () => {
  const handler = vi.fn();
  const wrapped = trusted(handler);
  wrapped(new MouseEvent('click'));
  expect(handler).not.toHaveBeenCalled();
  wrapped(userClick());
  expect(handler).toHaveBeenCalledTimes(1);
});
