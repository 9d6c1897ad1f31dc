// One crossing of the wasm boundary per batch of ESDK frames (src/web/esdk_aead.rs): the loop that
// starts every frame's crypto.subtle call, and the one that copies the results back into wasm
// memory, run here in JS instead of costing several wasm-bindgen calls per frame.
//
// `jobs` is a view of wasm memory, six words per frame: IV address, AAD address, AAD length, input
// address, input length, output address. WebCrypto copies IV, AAD and input when called, so they
// only need to stay put during this call; the outputs must stay put until the Promise settles.
// Resolves to -1, or to the index of the first frame whose call failed (a tag that did not verify)
// or returned an unexpected length. Results of other frames may have been copied by then.
export function gcmBatch(subtle, key, decrypt, memory, jobsView) {
  const jobs = jobsView.slice(); // the view's memory is the caller's to reuse once this returns
  let mem = new Uint8Array(memory.buffer);
  const n = Math.floor(jobs.length / 6);
  const calls = new Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 6) {
    const alg = {
      name: "AES-GCM",
      iv: mem.subarray(jobs[j], jobs[j] + 12),
      additionalData: mem.subarray(jobs[j + 1], jobs[j + 1] + jobs[j + 2]),
    };
    const data = mem.subarray(jobs[j + 3], jobs[j + 3] + jobs[j + 4]);
    calls[i] = decrypt ? subtle.decrypt(alg, key, data) : subtle.encrypt(alg, key, data);
  }
  return Promise.allSettled(calls).then((settled) => {
    mem = new Uint8Array(memory.buffer); // wasm memory may have grown while the calls ran
    let bad = -1;
    for (let i = 0, j = 0; i < n; i++, j += 6) {
      const s = settled[i];
      const want = decrypt ? jobs[j + 4] - 16 : jobs[j + 4] + 16;
      if (s.status !== "fulfilled" || s.value.byteLength !== want) {
        if (bad < 0) bad = i;
        continue;
      }
      mem.set(new Uint8Array(s.value), jobs[j + 5]);
    }
    return bad;
  });
}
