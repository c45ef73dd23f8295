/**
 * The portal content script (built as the classic script `content.js`): the "RDP now" button on VM pages. It
 * stays a few KB: no UI library, no polyfill, no validation library; the report itself is an extension page.
 */
import { startContent } from './content';
import { extensionRuntime } from './runtime';

const runtime = extensionRuntime();
if (runtime && window.top === window) startContent(window, runtime);
