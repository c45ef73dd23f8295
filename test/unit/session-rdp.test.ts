import { expect, it } from 'vitest';
import { cliRdp } from '../../host/cli-rdp';

it('the command line writes clipboard and printer redirection off explicitly, with the user name', () => {
  expect(cliRdp('10.0.0.4', 3390, '.\\azureuser')).toMatch(
    /^full address:s:10\.0\.0\.4:3390\r\nusername:s:\.\\azureuser\r\nredirectclipboard:i:0\r\nredirectprinters:i:0\r\n/,
  );
  expect(cliRdp('vm1.example.com', undefined, undefined)).toMatch(
    /^full address:s:vm1\.example\.com:3389\r\nredirectclipboard:i:0\r\n/,
  );
});
