// The peer, bundled for the browser by build.mjs: @aws-crypto/client-browser needs a global Buffer
// (npm `buffer`) on its ECDSA path, which browsers do not have.
import { Buffer } from "buffer";
globalThis.Buffer = globalThis.Buffer ?? Buffer;
export {
  buildClient, CommitmentPolicy, AlgorithmSuiteIdentifier, RawAesKeyringWebCrypto, RawAesWrappingSuiteIdentifier,
} from "@aws-crypto/client-browser";
