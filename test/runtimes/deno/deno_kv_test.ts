// DenoKvStore's own cases (test/deno-kv-cases.ts) on Deno's KV, in memory: `deno test --unstable-kv`,
// and its Deno Deploy example over real HTTP.
import { counter } from "../../../examples/deno/kv.ts";
import { denoKvCases } from "../../deno-kv-cases.ts";
import { assert } from "../../support/assert.ts";
import { countThreeTimes, httpGet } from "../counter-flow.ts";

denoKvCases((name, body) => Deno.test(`DenoKvStore (Deno.openKv) > ${name}`, body), () => Deno.openKv(":memory:"));

Deno.test("examples/deno/kv.ts counts 1, 2, 3 over real HTTP, and its logout holds", async () => {
  const kv = await Deno.openKv(":memory:");
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, counter(kv));
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    await countThreeTimes(httpGet(base));
    const first = await fetch(base + "/");
    const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    await first.body?.cancel();
    const logout = await fetch(base + "/logout", { method: "POST", headers: { Cookie: cookie } });
    assert.match(logout.headers.getSetCookie()[0] ?? "", /^session=; Max-Age=0;/);
    assert.deepEqual(await (await fetch(base + "/", { headers: { Cookie: cookie } })).json(), { count: 1 });
  } finally {
    await server.shutdown();
    kv.close();
  }
});
