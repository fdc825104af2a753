// Debian's Chromium, started headless through playwright-core with the flags that keep it off the network (these
// machines have none): the notebook image renderer (render-plots.mjs) and the browser tests (test/browser) share it.
import { chromium } from 'playwright-core';

/** The Chromium binary; GCNLAB_CHROMIUM names another. */
export const CHROMIUM = process.env.GCNLAB_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A started browser, or an error that says which binary failed and how to get one. */
export async function launchChromium() {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${CHROMIUM} (${String(error.message).split('\n')[0]}); install Debian's chromium (bash scripts/install-system-deps.sh) or set GCNLAB_CHROMIUM`,
      { cause: error },
    );
  }
}
