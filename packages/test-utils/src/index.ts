export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
