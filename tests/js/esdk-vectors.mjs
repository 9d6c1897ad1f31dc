// Reading the shared ESDK vectors for the JS tests: the manifest, keys, and the keyrings a test names,
// in the JS API's keyring shape. Works in Node (fs) and in a page (fetch) through `read`.
export function jsKeyrings(test, keys) {
  return test.keyrings.map((k) => {
    const key = keys[k.key];
    if (k.type === "raw-aes") return { type: "raw-aes", namespace: k.namespace, name: k.name, key: key.material };
    const pem = key.type === "private" ? { privateKeyPem: key.material } : { publicKeyPem: key.material };
    return { type: "raw-rsa", namespace: k.namespace, name: k.name, padding: k.padding, paddingHash: k["padding-hash"], ...pem };
  });
}

// One positive vector per (suite, keyring type and padding): the "every suite x keyring" sample.
export function onePerSuiteAndKeyring(tests) {
  const seen = new Map();
  for (const t of tests) {
    if (t.expect !== "success" || !t.keyrings?.length || t.reproduced_encryption_context || t.required_encryption_context_keys) continue;
    if (!t.keyrings.every((k) => k.type === "raw-aes" || k.type === "raw-rsa")) continue; // static data keys: Rust tests only
    const k = t.keyrings[0];
    const key = `${t.header.suite}/${k.type}/${k.padding ?? ""}/${k["padding-hash"] ?? ""}`;
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.entries()];
}
