/** `.rdp` lines the tests of shared/rdp-file and of the host share, written out from docs/PROTOCOL.md §3. */

/** The settings allowed only off, in table order: the canonical form always ends with them. */
export const OFF_LINES = [
  'drivestoredirect:s:',
  'redirectsmartcards:i:0',
  'redirectcomports:i:0',
  'redirectwebauthn:i:0',
  'redirectlocation:i:0',
  'camerastoredirect:s:',
  'devicestoredirect:s:',
  'usbdevicestoredirect:s:',
  'audiocapturemode:i:0',
];
