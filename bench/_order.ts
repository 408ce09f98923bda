import { measureRoute } from "./measure.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { spread } from "./harness.ts";
const ids = (process.env.IDS ?? "bare,ws-encrypted").split(",");
const rows = ids.map((id, k) => ({ ...READ_VARIANTS.find((v) => v.id === id.replace(/#.*/, ""))!, id }));
const read = await measureRoute("read", rows, { rounds: 7, ms: 350, warmup: 1000 });
const r = (id: string) => read.rows.find((row: any) => row.id === id)!.roundRps as number[];
const f = (a: string, b: string) => { const x = r(a), y = r(b); const s = spread(x.map((v, i) => v / y[i]!)); return `${a}/${b} ${s.median.toFixed(2)} (IQR ${s.iqr.toFixed(2)})`; };
console.log(ids.slice(1).map((id) => f(id, ids[0]!)).join("  "), " | µs:", ids.map((id) => (1e6 / spread(r(id)).median).toFixed(1)).join(" "));
