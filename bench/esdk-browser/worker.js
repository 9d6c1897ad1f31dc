// The bench's worker sink, as the playground page does it (www/esdk-worker.js): a dedicated worker
// reads the input from an OPFS file and writes the output to another through sync access handles,
// 1 MiB at a time through EsdkEncryptor / EsdkDecryptor pushAsync + drainInto and two reused buffers.
import init, { EsdkEncryptor, EsdkDecryptor } from "/pkg/secplay.js";

const ready = init();
const SLICE = 1 << 20;

onmessage = async ({ data: { mode, from, to, options } }) => {
  let src = null, dst = null;
  try {
    await ready;
    const dir = await navigator.storage.getDirectory();
    src = await (await dir.getFileHandle(from)).createSyncAccessHandle();
    dst = await (await dir.getFileHandle(to, { create: true })).createSyncAccessHandle();
    dst.truncate(0);
    const s = mode === "encrypt" ? new EsdkEncryptor(options) : new EsdkDecryptor(options);
    const inBuf = new Uint8Array(SLICE);
    const outBuf = new Uint8Array(SLICE);
    const size = src.getSize();
    let pos = 0, at = 0;
    // Where the time goes (printed by the bench). Overlapping the file I/O with the frames does not
    // pay: WebCrypto settles its calls on this thread, so a synchronous read or write only delays them.
    const ms = { read: 0, crypto: 0, write: 0 };
    let t = performance.now();
    const lap = (k) => { const now = performance.now(); ms[k] += now - t; t = now; };
    const put = (bytes) => {
      for (let off = 0; off < bytes.length;) {
        const n = dst.write(bytes.subarray(off), { at });
        if (n <= 0) throw new Error("the OPFS write made no progress");
        off += n; at += n;
      }
    };
    while (pos < size) {
      const n = src.read(inBuf, { at: pos });
      if (n <= 0) throw new Error("short read");
      pos += n;
      lap("read");
      await s.pushAsync(inBuf.subarray(0, n));
      lap("crypto");
      let k;
      while ((k = s.drainInto(outBuf)) > 0) put(outBuf.subarray(0, k));
      lap("write");
    }
    const tail = await s.finishAsync();
    lap("crypto");
    put(tail);
    lap("write");
    s.free();
    dst.flush();
    postMessage({ ok: true, bytes: at, ms });
  } catch (e) {
    postMessage({ ok: false, error: `${e?.code ?? ""} ${e?.message ?? e}` });
  } finally {
    src?.close();
    dst?.close();
  }
};
