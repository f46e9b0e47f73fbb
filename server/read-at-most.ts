/** Reading an upstream answer's body with a size cap, defined once for every fetch of ours. */

/**
 * Reads a body, giving up as soon as it passes `max` bytes, whatever its Content-Length says
 * (missing or lying): the stream is cancelled and `tooLarge()` is thrown.
 */
export async function readAtMost(res: Response, max: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
