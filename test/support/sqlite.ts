/**
 * A SQLite database of any client SqliteStore takes, wrapped so that every statement it executes
 * is counted: a statement's run/all/get/first on D1 and the synchronous clients, an execute or a
 * batch on libSQL (one round trip each). Framework-free: used under vitest, bun, deno and workerd.
 */
import type { SqliteDatabase } from "../../src/server-store/sqlite/connection.ts";

const EXECUTING = new Set(["run", "all", "get", "first", "raw", "values", "iterate"]);

export function countingDb(db: SqliteDatabase): { db: SqliteDatabase; statements: () => number; sql: string[] } {
  const sql: string[] = [];
  // A statement (or a bound D1 statement): its executing methods count, `bind` keeps counting.
  const statement = (target: object, text: string): object =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== "function") return value;
        if (EXECUTING.has(String(property))) return (...args: unknown[]) => (sql.push(text), value.apply(object, args));
        if (property === "bind") return (...args: unknown[]) => statement(value.apply(object, args) as object, text);
        return value.bind(object);
      },
    });
  const wrapped = new Proxy(db as object, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (property === "prepare") return (text: string) => statement(value.call(object, text) as object, text);
      if (property === "execute") return (arg: { sql: string }) => (sql.push(arg.sql), value.call(object, arg));
      if (property === "batch") return (...args: unknown[]) => (sql.push("batch"), value.apply(object, args));
      return value.bind(object);
    },
  });
  // The busy-timeout pragmas a connection runs once are not the store's round trips.
  return { db: wrapped as SqliteDatabase, statements: () => sql.filter((text) => !text.startsWith("PRAGMA")).length, sql };
}
