import { type Browser, launchBrowser } from './browser';
import { type Platform, startPlatform } from './platform';

/**
 * One platform, started as a user starts it, and one browser for a test file; `prepare` runs once
 * the platform is up (e.g. to create accounts with the command line).
 */
export function useJourney(prepare?: (platform: Platform) => Promise<void> | void) {
  const journey = {} as { platform: Platform; browser: Browser };
  beforeAll(async () => {
    journey.platform = await startPlatform();
    journey.browser = await launchBrowser();
    await prepare?.(journey.platform);
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.platform?.stop();
  });
  return journey;
}
