"""The official AWS Encryption SDK for Python (PyPI aws-encryption-sdk 4.0.7) with its AWS KMS
master key providers, against secplay-kms-server: an interop peer for secplay's AWS KMS keyrings.

Two phases, one plan (JSON) each; results are JSON lines on stdout.

    python esdk_kms_peer.py encrypt PLAN.json
        Creates the keys over the endpoint with boto3 (a single-region key, and a multi-Region key
        in `regions[0]` replicated to `regions[1]`), then encrypts each case's plaintext under the
        case's key ("single" or "mrk", in regions[0]) and writes "theirs". Prints {"keys": {...}}
        first, then {"id", "encrypt": "ok" | error} per case.
    python esdk_kms_peer.py decrypt PLAN.json
        Decrypts each case's "ours" with the provider the case names ("strict": the key ARN;
        "mrk": MRK-aware strict with the replica's ARN in regions[1]; "discovery": discovery with
        a filter of the account) and checks plaintext and encryption context.
        Prints {"id", "decrypt": "ok" | error} per case.

Plan: {"endpoint", "accessKeyId", "secretAccessKey", "account", "regions": [r0, r1], "keys"?: {...},
"cases": [{"id", "key": "single" | "mrk", "provider"?: "strict" | "mrk" | "discovery",
"encryptionContext", "plaintext": path, "ours"?: path, "theirs"?: path}]}
The endpoint is passed to botocore as AWS_ENDPOINT_URL_KMS; nothing leaves 127.0.0.1.
"""

import json
import os
import sys

import aws_encryption_sdk
import boto3
import botocore.session
from aws_encryption_sdk.identifiers import CommitmentPolicy
from aws_encryption_sdk.key_providers.kms import (
    DiscoveryAwsKmsMasterKeyProvider,
    DiscoveryFilter,
    MRKAwareStrictAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
)


def session(plan):
    os.environ["AWS_ENDPOINT_URL_KMS"] = plan["endpoint"]
    s = botocore.session.Session()
    s.set_credentials(plan["accessKeyId"], plan["secretAccessKey"])
    return s


def create_keys(plan):
    kms = boto3.client(
        "kms",
        region_name=plan["regions"][0],
        endpoint_url=plan["endpoint"],
        aws_access_key_id=plan["accessKeyId"],
        aws_secret_access_key=plan["secretAccessKey"],
    )
    keys = {"single": kms.create_key(Description="esdk interop")["KeyMetadata"]["Arn"]}
    if any(c["key"] == "mrk" for c in plan["cases"]):
        keys["mrk"] = kms.create_key(Description="esdk interop mrk", MultiRegion=True)["KeyMetadata"]["Arn"]
        replica = kms.replicate_key(KeyId=keys["mrk"], ReplicaRegion=plan["regions"][1])
        keys["mrkReplica"] = replica["ReplicaKeyMetadata"]["Arn"]
    return keys


def error(e):
    return f"{type(e).__name__}: {e}"


def encrypt_phase(plan):
    s = session(plan)
    keys = create_keys(plan)
    print(json.dumps({"keys": keys}), flush=True)
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    for case in plan["cases"]:
        result = {"id": case["id"]}
        try:
            provider = StrictAwsKmsMasterKeyProvider(key_ids=[keys[case["key"]]], botocore_session=s)
            with open(case["plaintext"], "rb") as f:
                plaintext = f.read()
            ct, _ = client.encrypt(source=plaintext, key_provider=provider, encryption_context=case["encryptionContext"])
            with open(case["theirs"], "wb") as f:
                f.write(ct)
            result["encrypt"] = "ok"
        except Exception as e:  # a result line per case, whatever failed
            result["encrypt"] = error(e)
        print(json.dumps(result), flush=True)


def decrypt_provider(plan, case, s):
    keys = plan["keys"]
    kind = case.get("provider", "strict")
    if kind == "strict":
        return StrictAwsKmsMasterKeyProvider(key_ids=[keys[case["key"]]], botocore_session=s)
    if kind == "mrk":
        return MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[keys["mrkReplica"]], botocore_session=s)
    if kind == "discovery":
        f = DiscoveryFilter(account_ids=[plan["account"]], partition="aws")
        return DiscoveryAwsKmsMasterKeyProvider(discovery_filter=f, botocore_session=s)
    raise ValueError(f"unknown provider {kind}")


def decrypt_phase(plan):
    s = session(plan)
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    for case in plan["cases"]:
        result = {"id": case["id"]}
        try:
            with open(case["ours"], "rb") as f:
                ours = f.read()
            with open(case["plaintext"], "rb") as f:
                expected = f.read()
            pt, header = client.decrypt(source=ours, key_provider=decrypt_provider(plan, case, s))
            if pt != expected:
                raise ValueError("the plaintext differs")
            for k, v in case["encryptionContext"].items():
                if header.encryption_context.get(k) != v:
                    raise ValueError(f"the encryption context entry {k} differs")
            result["decrypt"] = "ok"
        except Exception as e:  # a result line per case, whatever failed
            result["decrypt"] = error(e)
        print(json.dumps(result), flush=True)


def main():
    phase, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    {"encrypt": encrypt_phase, "decrypt": decrypt_phase}[phase](plan)


if __name__ == "__main__":
    main()
