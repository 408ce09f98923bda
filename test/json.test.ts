// src/json.ts on its own: what the stores rely on when they encode and decode values.
import { describe, expect, it } from "vitest";
import { SessionError } from "../src/errors.ts";
import { decodeJson, encodeJson } from "../src/json.ts";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("encodeJson", () => {
  it("encodes JSON values", () => {
    expect(encodeJson({ a: [1, "x", null, true] })).toBe('{"a":[1,"x",null,true]}');
  });

  it("refuses what JSON.stringify throws on, with ERR_SESSION_DATA and the original as cause", () => {
    const error = thrown(() => encodeJson(10n));
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe("ERR_SESSION_DATA");
    expect((error as SessionError).cause).toBeInstanceOf(TypeError);
  });

  it.each([
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["undefined", undefined],
  ])("refuses %s, which JSON.stringify turns into nothing, rather than storing no text", (_label, value) => {
    expect(thrown(() => encodeJson(value))).toMatchObject({ name: "SessionError", code: "ERR_SESSION_DATA" });
  });
});

describe("decodeJson", () => {
  it("decodes JSON text and answers undefined for text that is not JSON", () => {
    expect(decodeJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(decodeJson("{")).toBeUndefined();
    expect(decodeJson("=1")).toBeUndefined();
  });
});
