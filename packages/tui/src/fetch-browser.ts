/**
 * `APS_AUTH_BROWSER=fetch` (tests, benchmarks): a "browser" that follows the authorize redirects with fetch,
 * for a server that approves at once (the emulator's auto-approve). Against APS it stops at the sign-in page.
 */
export async function followAuthorizeRedirects(url: string, fetchFn: typeof fetch = fetch): Promise<void> {
  let next = url;
  for (let hops = 0; hops < 5; hops++) {
    const answer = await fetchFn(next, { redirect: 'manual' });
    await answer.body?.cancel();
    const location = answer.headers.get('location');
    const redirected = answer.status >= 300 && answer.status < 400 && location !== null;
    if (!redirected) {
      if (hops === 0) throw new Error(`the authorize page answered ${answer.status} and did not redirect`);
      return;
    }
    next = new URL(location, next).href;
  }
}
