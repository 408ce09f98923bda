/**
 * The signed session ids that server stores put in cookies. Every server store verifies a cookie
 * here, before it spends a round trip on it, so a forged id never reaches the backend.
 *
 * @module
 */

import { Codec, isSignedShape, normalizeSecrets, toSeconds } from "../codec.ts";

/** A verified session id and when its cookie expires (ms since the epoch). */
export interface VerifiedId {
  id: string;
  expiresAt: number;
}

/** Signs and verifies session ids with a list of secrets, newest first. */
export class SignedIds {
  readonly #codec: Codec;

  /** Throws `ERR_SESSION_CONFIG`, naming `where`, for missing or short secrets. */
  constructor(secrets: string | readonly string[], where: string) {
    this.#codec = new Codec(normalizeSecrets(secrets, where));
  }

  /**
   * Whether a cookie value has the shape of a signed id and names one of our keys: no crypto (see
   * `Store.isWellFormed`).
   */
  isWellFormed(cookieValue: string): boolean {
    return isSignedShape(cookieValue) && this.#codec.namesKnownKey(cookieValue);
  }

  /** The id a cookie value of session `name` carries, or undefined if it is forged, foreign or expired. */
  async verify(name: string, cookieValue: string): Promise<VerifiedId | undefined> {
    const opened = await this.#codec.verify(name, cookieValue);
    return opened && { id: opened.text, expiresAt: opened.expiresAt };
  }

  /** The cookie value for session `name` holding `id`, valid until `expiresAt` (ms). */
  sign(name: string, id: string, expiresAt: number): Promise<string> {
    return this.#codec.sign(name, id, toSeconds(expiresAt));
  }
}
