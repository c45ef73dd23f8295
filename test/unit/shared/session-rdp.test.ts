import { expect, it } from 'vitest';
import { sessionRdp } from '../../../shared/rdp-file';

it('a launch writes clipboard and printer redirection explicitly, off unless asked for, with the user name', () => {
  expect(sessionRdp('10.0.0.4', 3390, { username: '.\\azureuser' })).toMatch(
    /^full address:s:10\.0\.0\.4:3390\r\nusername:s:\.\\azureuser\r\nredirectclipboard:i:0\r\nredirectprinters:i:0\r\n/,
  );
  expect(sessionRdp('vm1.example.com', undefined, {})).toMatch(
    /^full address:s:vm1\.example\.com:3389\r\nredirectclipboard:i:0\r\n/,
  );
  expect(sessionRdp('h.example', 3389, { redirectclipboard: 1 })).toContain(
    'redirectclipboard:i:1\r\nredirectprinters:i:0\r\n',
  );
});
