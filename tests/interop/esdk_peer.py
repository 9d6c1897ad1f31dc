"""The official AWS Encryption SDK for Python (PyPI aws-encryption-sdk) as an interop peer.

Reads a plan (JSON) naming cases; for each case it decrypts the message secplay wrote ("ours") and
checks the plaintext and encryption context, then encrypts the same plaintext with the same suite,
keyring, frame length and context and writes the result ("theirs") for secplay to decrypt.
Prints one JSON result per case on stdout. Key material comes from the shared keys manifest.

    python esdk_peer.py PLAN.json

Plan: {"keys": "<keys.json>", "cases": [{"id", "keyring": {"type": "raw-aes"|"raw-rsa", "namespace",
"name", "key": "<name in keys.json>", "padding"?, "paddingHash"?}, "suiteId", "frameLength",
"encryptionContext", "plaintext": path, "ours": path, "theirs": path}]}
"""

import base64
import json
import sys

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey

AES_WRAPPING = {
    128: WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
    192: WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
    256: WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
}
RSA_WRAPPING = {
    ("pkcs1", None): WrappingAlgorithm.RSA_PKCS1,
    ("oaep-mgf1", "sha1"): WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    ("oaep-mgf1", "sha256"): WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    ("oaep-mgf1", "sha384"): WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    ("oaep-mgf1", "sha512"): WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
}


def master_key(spec, keys):
    key = keys[spec["key"]]
    if spec["type"] == "raw-aes":
        material = base64.b64decode(key["material"])
        wrapping = WrappingKey(AES_WRAPPING[len(material) * 8], material, EncryptionKeyType.SYMMETRIC)
    elif spec["type"] == "raw-rsa":
        algorithm = RSA_WRAPPING[(spec["padding"], spec.get("paddingHash"))]
        kind = EncryptionKeyType.PRIVATE if key["type"] == "private" else EncryptionKeyType.PUBLIC
        wrapping = WrappingKey(algorithm, key["material"].encode(), kind)
    else:
        raise ValueError(f"unknown keyring type {spec['type']}")
    return RawMasterKey(provider_id=spec["namespace"], key_id=spec["name"].encode(), wrapping_key=wrapping)


def suite(suite_id):
    for s in AlgorithmSuite:
        if s.algorithm_id == suite_id:
            return s
    raise ValueError(f"unknown suite {suite_id:#06x}")


def run(case, keys):
    result = {"id": case["id"]}
    mk = master_key(case["keyring"], keys)
    s = suite(case["suiteId"])
    policy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT if s.is_committing() else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy)
    with open(case["plaintext"], "rb") as f:
        plaintext = f.read()
    try:
        if "ours" not in case:
            raise FileNotFoundError("no message from secplay for this case")
        with open(case["ours"], "rb") as f:
            decrypted, header = client.decrypt(source=f.read(), key_provider=mk)
        ctx = {k: v for k, v in header.encryption_context.items() if not k.startswith("aws-crypto-")}
        if decrypted != plaintext:
            result["decrypt"] = "plaintext differs"
        elif ctx != case["encryptionContext"]:
            result["decrypt"] = f"encryption context differs: {ctx}"
        elif header.algorithm.algorithm_id != case["suiteId"]:
            result["decrypt"] = f"suite differs: {header.algorithm.algorithm_id:#06x}"
        else:
            result["decrypt"] = "ok"
    except FileNotFoundError:
        result["decrypt"] = "skipped"
    except Exception as e:  # reported, not raised: the JS side fails the case with this text
        result["decrypt"] = f"{type(e).__name__}: {e}"
    try:
        ciphertext, _ = client.encrypt(
            source=plaintext, key_provider=mk, algorithm=s,
            frame_length=case["frameLength"], encryption_context=case["encryptionContext"],
        )
        with open(case["theirs"], "wb") as f:
            f.write(ciphertext)
        result["encrypt"] = "ok"
    except Exception as e:
        result["encrypt"] = f"{type(e).__name__}: {e}"
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    with open(plan["keys"], encoding="utf-8") as f:
        keys = json.load(f)["keys"]
    for case in plan["cases"]:
        print(json.dumps(run(case, keys)), flush=True)


if __name__ == "__main__":
    main()
