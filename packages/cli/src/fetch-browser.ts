/**
 * A "browser" that follows the authorize redirect with `fetch`, for unattended runs against a server that
 * approves at once (the emulator's auto-approve): the demo, tests and benchmarks (`APS_AUTH_BROWSER=fetch`).
 * It never fills in a consent or sign-in form: against APS it just stops at the sign-in page.
 */
export async function followRedirects(url: string, fetchFn: typeof fetch = fetch): Promise<void> {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetchFn(current, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      if (hop === 0) throw new Error(`the authorize page answered ${response.status} without a redirect`);
      return;
    }
    current = new URL(location, current).href;
  }
}
