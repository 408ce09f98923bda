// The part of the Workers runtime's `cloudflare:workers` module that SessionsObject uses, so
// src/ type-checks with `"types": []` and no Workers types installed. A Worker's own project
// declares the whole module (`@cloudflare/workers-types` or `wrangler types`), which these
// members match; this file is not part of the published .d.ts.
declare module "cloudflare:workers" {
  interface SqlStorageCursor<T> {
    toArray(): T[];
  }

  interface SqlStorage {
    exec<T extends Record<string, string | number | null>>(query: string, ...bindings: Array<string | number | null>): SqlStorageCursor<T>;
  }

  interface DurableObjectStorage {
    readonly sql: SqlStorage;
    transactionSync<T>(closure: () => T): T;
    setAlarm(scheduledTime: number): Promise<void>;
    deleteAlarm(): Promise<void>;
    deleteAll(): Promise<void>;
  }

  interface DurableObjectState {
    readonly storage: DurableObjectStorage;
  }

  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
