/** host/azure/token.ts: how the Azure CLI is started for a token. */
import { describe, expect, it } from 'vitest';
import { azureCliCommand, SignInError } from '../../../../host/azure/token';

const AZ = 'C:\\Program Files\\Microsoft SDKs\\Azure\\CLI2\\wbin\\az.cmd';
const ENV = { Path: 'C:\\Program Files\\Microsoft SDKs\\Azure\\CLI2\\wbin;C:\\Windows\\System32' };

describe('azureCliCommand', () => {
  it('on Windows runs az.cmd by the absolute path found on PATH, quoted for cmd.exe, never by its bare name', () => {
    const asked: unknown[][] = [];
    const command = azureCliCommand('win32', ENV, (...args) => {
      asked.push(args);
      return AZ;
    });
    expect(asked).toEqual([['az.cmd', ENV, 'win32']]);
    // cmd.exe looks in the current directory first: a bare "az.cmd" could run a planted file.
    expect(command).toEqual({ command: `"${AZ}"`, shell: true });
  });

  it('on Windows without az.cmd on PATH: a SignInError that says what to do', () => {
    expect(() => azureCliCommand('win32', ENV, () => null)).toThrow(SignInError);
    expect(() => azureCliCommand('win32', ENV, () => null)).toThrow(
      /az\.cmd is not on PATH.*--token.*az login/,
    );
  });

  it('elsewhere runs az without a shell (execvp searches PATH only)', () => {
    const never = () => {
      throw new Error('not looked up');
    };
    expect(azureCliCommand('linux', {}, never)).toEqual({ command: 'az', shell: false });
    expect(azureCliCommand('darwin', {}, never)).toEqual({ command: 'az', shell: false });
  });
});
