/**
 * STUB_CRYPTO=1: WebCrypto's cipher and MAC calls become synchronous stand-ins (same sizes, no
 * thread-pool job), so the profile shows the JavaScript around them without the scheduling noise
 * of the jobs. The round trips stay intact; nothing is secret. For attribution only.
 */
export function stubCrypto(): void {
  const subtle = crypto.subtle as unknown as Record<string, unknown>;
  const bytes = (data: ArrayBuffer | ArrayBufferView) =>
    ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  subtle.encrypt = async (_a: unknown, _k: unknown, data: ArrayBufferView) => {
    const out = new Uint8Array(bytes(data).length + 16);
    out.set(bytes(data));
    return out.buffer;
  };
  subtle.decrypt = async (_a: unknown, _k: unknown, data: ArrayBufferView) => bytes(data).slice(0, -16).buffer;
  subtle.sign = async () => new ArrayBuffer(32);
  subtle.verify = async () => true;
}

