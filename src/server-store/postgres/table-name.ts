/**
 * The one name that reaches SQL text: the table's. It is checked against a strict pattern when the
 * store is built and then quoted, so it can only ever name a table; every value goes through
 * parameters.
 *
 * @module
 */

import { assertConfig } from "../../errors.ts";

// Postgres keeps identifiers up to 63 bytes. Parts are quoted, so a name keeps its case as given.
const PART = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A validated table name, quoted for SQL, and the plain name index names are built from. */
export interface TableName {
  /** `"schema"."table"` or `"table"`. */
  quoted: string;
  /** The table's own name, without its schema: the stem of its index names (indexes live in the table's schema). */
  stem: string;
}

/**
 * Checks `table` (`name` or `schema.name`, each part `/^[A-Za-z_][A-Za-z0-9_]{0,62}$/`) and quotes
 * it; anything else throws `ERR_SESSION_CONFIG`.
 */
export function tableName(table: unknown, where: string): TableName {
  const parts = String(table).split(".");
  assertConfig(
    typeof table === "string" && parts.length <= 2 && parts.every((part) => PART.test(part)),
    `${where}: table must be a name or schema.name, each part letters, digits and _ (not starting with a digit), at most 63 characters`,
  );
  return { quoted: parts.map((part) => `"${part}"`).join("."), stem: parts[parts.length - 1]! };
}
