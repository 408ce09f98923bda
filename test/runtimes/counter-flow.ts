/**
 * The flow every runtime test drives against a counter app (the examples): three requests that
 * carry the cookie count 1, 2, 3; a request without it starts again at 1.
 */
import { assert } from "../support/assert.ts";

/** Sends `GET path` with an optional `Cookie` header, over real HTTP or a runtime's dispatch. */
export type Get = (path: string, cookie?: string) => Promise<Response>;

/** Runs the flow and returns the counts seen, in order. */
export async function countThreeTimes(get: Get, path = "/"): Promise<number[]> {
  const counts: number[] = [];
  let cookie: string | undefined;
  for (let i = 0; i < 3; i++) {
    const response = await get(path, cookie);
    assert.equal(response.status, 200, `request ${i + 1} answered ${response.status}`);
    const [line] = response.headers.getSetCookie();
    assert.ok(line, `request ${i + 1} set no cookie`);
    assert.match(line, /^session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    cookie = line.split(";")[0];
    counts.push(((await response.json()) as { count: number }).count);
  }
  assert.deepEqual(counts, [1, 2, 3]);
  const fresh = await get(path);
  assert.deepEqual(await fresh.json(), { count: 1 });
  return counts;
}

/** `Get` over real HTTP against `base` (`http://127.0.0.1:PORT`). */
export function httpGet(base: string): Get {
  return (path, cookie) => fetch(base + path, { headers: cookie ? { Cookie: cookie } : {} });
}
