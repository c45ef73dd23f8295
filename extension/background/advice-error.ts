import type { Advice } from '../messages';

/** A failure that carries what the user should do about it; pages show `advice.message` as it is. */
export class AdviceError extends Error {
  constructor(readonly advice: Advice) {
    super(advice.message);
    this.name = 'AdviceError';
  }
}
