"""boto3 against secplay-kms-server: a scenario of every KMS operation family, then the error cases.

Driven by tests/js/kms-server.test.mjs, which starts the server and passes, in the environment:
  KMS_ENDPOINT, KMS_REGION, KMS_ADMIN_KEY_ID, KMS_ADMIN_SECRET   the administrator's credentials
  KMS_NOBODY_KEY_ID, KMS_NOBODY_SECRET                           a user with no permissions at all
  KMS_OUT                                                         a file the scenario writes its results to
Each step prints `ok <step>`; a failure prints the step and exits non-zero. The results file holds
a ciphertext and its context, so the driver can decrypt it after restarting the server.
"""

import base64
import json
import os
import sys
import traceback

import boto3
import botocore.config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["KMS_ENDPOINT"]
REGION = os.environ["KMS_REGION"]
CONFIG = botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30)


def client(key_id, secret, region=REGION):
    return boto3.client("kms", endpoint_url=ENDPOINT, region_name=region, aws_access_key_id=key_id,
                        aws_secret_access_key=secret, config=CONFIG)


kms = client(os.environ["KMS_ADMIN_KEY_ID"], os.environ["KMS_ADMIN_SECRET"])
nobody = client(os.environ["KMS_NOBODY_KEY_ID"], os.environ["KMS_NOBODY_SECRET"])
wrong_secret = client(os.environ["KMS_ADMIN_KEY_ID"], "x" * 40)
unknown_id = client("AKIAAAAAAAAAAAAAAAAA", os.environ["KMS_ADMIN_SECRET"])
results = {}


def expect_error(code, fn, *args, status=400, **kwargs):
    """Calls fn, which must fail with the AWS error `code` and HTTP `status`; returns the message."""
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        got_status = e.response["ResponseMetadata"]["HTTPStatusCode"]
        assert got == code, f"expected {code}, got {got}: {e}"
        assert got_status == status, f"{code}: expected HTTP {status}, got {got_status}"
        return e.response["Error"].get("Message", "")
    raise AssertionError(f"expected {code}, but the call succeeded")


def keys_lifecycle():
    k = kms.create_key(Description="boto3 scenario", Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]
    assert k["KeyState"] == "Enabled" and k["KeySpec"] == "SYMMETRIC_DEFAULT", k
    results["key"] = k["KeyId"]
    d = kms.describe_key(KeyId=k["Arn"])["KeyMetadata"]
    assert d["KeyId"] == k["KeyId"] and d["Description"] == "boto3 scenario"
    kms.update_key_description(KeyId=k["KeyId"], Description="renamed")
    assert kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["Description"] == "renamed"
    ids = [x["KeyId"] for p in kms.get_paginator("list_keys").paginate() for x in p["Keys"]]
    assert k["KeyId"] in ids
    kms.disable_key(KeyId=k["KeyId"])
    assert kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=k["KeyId"])
    doomed = kms.create_key()["KeyMetadata"]["KeyId"]
    s = kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    assert s["KeyState"] == "PendingDeletion" and s["PendingWindowInDays"] == 7, s
    kms.cancel_key_deletion(KeyId=doomed)
    assert kms.describe_key(KeyId=doomed)["KeyMetadata"]["KeyState"] == "Disabled"
    results["disabled_key"] = doomed


def aliases():
    kms.create_alias(AliasName="alias/boto3-app", TargetKeyId=results["key"])
    names = [a["AliasName"] for a in kms.list_aliases(KeyId=results["key"])["Aliases"]]
    assert names == ["alias/boto3-app"], names
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.update_alias(AliasName="alias/boto3-app", TargetKeyId=other)
    assert kms.describe_key(KeyId="alias/boto3-app")["KeyMetadata"]["KeyId"] == other
    kms.update_alias(AliasName="alias/boto3-app", TargetKeyId=results["key"])
    kms.create_alias(AliasName="alias/boto3-tmp", TargetKeyId=other)
    kms.delete_alias(AliasName="alias/boto3-tmp")
    expect_error("AlreadyExistsException", kms.create_alias, AliasName="alias/boto3-app", TargetKeyId=other)


def encrypt_decrypt_reencrypt():
    ctx = {"purpose": "boto3", "tenant": "t1"}
    e = kms.encrypt(KeyId="alias/boto3-app", Plaintext=b"secret payload", EncryptionContext=ctx)
    assert e["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    d = kms.decrypt(CiphertextBlob=e["CiphertextBlob"], EncryptionContext=ctx)
    assert d["Plaintext"] == b"secret payload" and d["KeyId"].endswith(results["key"]), d
    results["ciphertext"] = base64.b64encode(e["CiphertextBlob"]).decode()
    results["context"] = ctx
    target = kms.create_key()["KeyMetadata"]["KeyId"]
    r = kms.re_encrypt(CiphertextBlob=e["CiphertextBlob"], SourceEncryptionContext=ctx, DestinationKeyId=target,
                       DestinationEncryptionContext={"moved": "yes"})
    assert r["KeyId"].endswith(target) and r["SourceKeyId"].endswith(results["key"]), r
    back = kms.decrypt(CiphertextBlob=r["CiphertextBlob"], EncryptionContext={"moved": "yes"}, KeyId=target)
    assert back["Plaintext"] == b"secret payload"


def data_keys():
    g = kms.generate_data_key(KeyId=results["key"], KeySpec="AES_256", EncryptionContext={"k": "v"})
    assert len(g["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=g["CiphertextBlob"], EncryptionContext={"k": "v"})["Plaintext"] == g["Plaintext"]
    n = kms.generate_data_key(KeyId=results["key"], NumberOfBytes=64)
    assert len(n["Plaintext"]) == 64
    w = kms.generate_data_key_without_plaintext(KeyId=results["key"], KeySpec="AES_128")
    assert "Plaintext" not in w and len(kms.decrypt(CiphertextBlob=w["CiphertextBlob"])["Plaintext"]) == 16


def data_key_pairs():
    p = kms.generate_data_key_pair(KeyId=results["key"], KeyPairSpec="ECC_NIST_P256")
    assert p["PublicKey"] and p["PrivateKeyPlaintext"] and p["KeyPairSpec"] == "ECC_NIST_P256"
    assert kms.decrypt(CiphertextBlob=p["PrivateKeyCiphertextBlob"])["Plaintext"] == p["PrivateKeyPlaintext"]
    q = kms.generate_data_key_pair_without_plaintext(KeyId=results["key"], KeyPairSpec="RSA_2048")
    assert "PrivateKeyPlaintext" not in q and q["PublicKey"]


def random_bytes():
    a, b = kms.generate_random(NumberOfBytes=32)["Plaintext"], kms.generate_random(NumberOfBytes=32)["Plaintext"]
    assert len(a) == 32 and a != b
    expect_error("ValidationException", kms.generate_random, NumberOfBytes=1025)


def sign_verify_public_key():
    for spec, alg in [("ECC_NIST_P256", "ECDSA_SHA_256"), ("RSA_2048", "RSASSA_PSS_SHA_256"), ("ECC_NIST_EDWARDS25519", "ED25519_SHA_512")]:
        k = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        s = kms.sign(KeyId=k, Message=b"signed text", MessageType="RAW", SigningAlgorithm=alg)
        assert kms.verify(KeyId=k, Message=b"signed text", MessageType="RAW", SigningAlgorithm=alg,
                          Signature=s["Signature"])["SignatureValid"] is True
        expect_error("KMSInvalidSignatureException", kms.verify, KeyId=k, Message=b"other text", MessageType="RAW",
                     SigningAlgorithm=alg, Signature=s["Signature"])
        pk = kms.get_public_key(KeyId=k)
        assert pk["KeyUsage"] == "SIGN_VERIFY" and alg in pk["SigningAlgorithms"] and pk["PublicKey"][:1] == b"\x30"


def macs():
    k = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
    m = kms.generate_mac(KeyId=k, Message=b"mac me", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert len(m) == 32
    assert kms.verify_mac(KeyId=k, Message=b"mac me", MacAlgorithm="HMAC_SHA_256", Mac=m)["MacValid"] is True
    expect_error("KMSInvalidMacException", kms.verify_mac, KeyId=k, Message=b"other", MacAlgorithm="HMAC_SHA_256", Mac=m)


def derive_shared_secret():
    a = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]["KeyId"]
    b = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]["KeyId"]
    pa, pb = kms.get_public_key(KeyId=a)["PublicKey"], kms.get_public_key(KeyId=b)["PublicKey"]
    sa = kms.derive_shared_secret(KeyId=a, KeyAgreementAlgorithm="ECDH", PublicKey=pb)["SharedSecret"]
    sb = kms.derive_shared_secret(KeyId=b, KeyAgreementAlgorithm="ECDH", PublicKey=pa)["SharedSecret"]
    assert sa == sb and len(sa) == 32


def encapsulate():
    k = kms.create_key(KeySpec="ML_KEM_768", KeyUsage="ENCAPSULATE_DECAPSULATE")["KeyMetadata"]["KeyId"]
    e = kms.encapsulate(KeyId=k, EncapsulationAlgorithm="ML_KEM")
    d = kms.decapsulate(KeyId=k, EncapsulationAlgorithm="ML_KEM", SharedSecretCiphertextBlob=e["SharedSecretCiphertextBlob"])
    assert d["SharedSecret"] == e["SharedSecret"] and len(d["SharedSecret"]) == 32


def grants():
    nobody_arn = os.environ["KMS_NOBODY_ARN"]
    g = kms.create_grant(KeyId=results["key"], GranteePrincipal=nobody_arn, Operations=["Decrypt", "Encrypt"],
                         Constraints={"EncryptionContextSubset": {"tenant": "t1"}}, Name="boto3-grant")
    listed = kms.list_grants(KeyId=results["key"])["Grants"]
    assert any(x["GrantId"] == g["GrantId"] for x in listed), listed
    # The grantee may now decrypt with the tenant context (and only with it), with the grant token.
    ct = base64.b64decode(results["ciphertext"])
    pt = nobody.decrypt(CiphertextBlob=ct, EncryptionContext=results["context"], GrantTokens=[g["GrantToken"]])
    assert pt["Plaintext"] == b"secret payload"
    expect_error("AccessDeniedException", nobody.encrypt, KeyId=results["key"], Plaintext=b"x",
                 EncryptionContext={"tenant": "t2"})
    kms.revoke_grant(KeyId=results["key"], GrantId=g["GrantId"])
    expect_error("AccessDeniedException", nobody.decrypt, CiphertextBlob=ct, EncryptionContext=results["context"])
    g2 = kms.create_grant(KeyId=results["key"], GranteePrincipal=nobody_arn, Operations=["Decrypt"],
                          RetiringPrincipal=os.environ["KMS_ADMIN_ARN"])
    retirable = kms.list_retirable_grants(RetiringPrincipal=os.environ["KMS_ADMIN_ARN"])["Grants"]
    assert [x["GrantId"] for x in retirable] == [g2["GrantId"]], retirable
    kms.retire_grant(KeyId=results["key"], GrantId=g2["GrantId"])


def policies():
    assert kms.list_key_policies(KeyId=results["key"])["PolicyNames"] == ["default"]
    policy = json.loads(kms.get_key_policy(KeyId=results["key"], PolicyName="default")["Policy"])
    assert policy["Statement"], policy
    policy["Statement"].append({"Sid": "DenyDecryptOutsideTenant", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt",
                                "Resource": "*", "Condition": {"StringNotEquals": {"kms:EncryptionContext:tenant": "t1"}}})
    kms.put_key_policy(KeyId=results["key"], PolicyName="default", Policy=json.dumps(policy))
    e = kms.encrypt(KeyId=results["key"], Plaintext=b"p", EncryptionContext={"tenant": "t9"})
    msg = expect_error("AccessDeniedException", kms.decrypt, CiphertextBlob=e["CiphertextBlob"], EncryptionContext={"tenant": "t9"})
    assert "kms:Decrypt" in msg, msg
    expect_error("MalformedPolicyDocumentException", kms.put_key_policy, KeyId=results["key"], PolicyName="default", Policy="{not json")


def tags():
    kms.tag_resource(KeyId=results["key"], Tags=[{"TagKey": "env", "TagValue": "test"}])
    t = {x["TagKey"]: x["TagValue"] for x in kms.list_resource_tags(KeyId=results["key"])["Tags"]}
    assert t == {"team": "a", "env": "test"}, t
    kms.untag_resource(KeyId=results["key"], TagKeys=["team"])
    t = {x["TagKey"] for x in kms.list_resource_tags(KeyId=results["key"])["Tags"]}
    assert t == {"env"}, t


def rotation():
    kms.enable_key_rotation(KeyId=results["key"], RotationPeriodInDays=180)
    s = kms.get_key_rotation_status(KeyId=results["key"])
    assert s["KeyRotationEnabled"] is True and s["RotationPeriodInDays"] == 180, s
    kms.rotate_key_on_demand(KeyId=results["key"])
    rotations = kms.list_key_rotations(KeyId=results["key"])["Rotations"]
    assert len(rotations) >= 1, rotations
    # Old ciphertexts still decrypt after the rotation.
    ct = base64.b64decode(results["ciphertext"])
    assert kms.decrypt(CiphertextBlob=ct, EncryptionContext=results["context"])["Plaintext"] == b"secret payload"
    kms.disable_key_rotation(KeyId=results["key"])
    assert kms.get_key_rotation_status(KeyId=results["key"])["KeyRotationEnabled"] is False


def imported_material():
    # The OpenSSL flow of the developer guide, with the `cryptography` package (an ESDK dependency).
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    k = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert k["KeyState"] == "PendingImport" and k["Origin"] == "EXTERNAL", k
    params = kms.get_parameters_for_import(KeyId=k["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                           WrappingKeySpec="RSA_2048")
    public = serialization.load_der_public_key(params["PublicKey"])
    material = os.urandom(32)
    wrapped = public.encrypt(material, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    kms.import_key_material(KeyId=k["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    ct = kms.encrypt(KeyId=k["KeyId"], Plaintext=b"imported")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=ct)["Plaintext"] == b"imported"
    # A token of another key does not import.
    other = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeyId"]
    expect_error("InvalidImportTokenException", kms.import_key_material, KeyId=other, ImportToken=params["ImportToken"],
                 EncryptedKeyMaterial=wrapped, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    kms.delete_imported_key_material(KeyId=k["KeyId"])
    assert kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
    expect_error("KMSInvalidStateException", kms.decrypt, CiphertextBlob=ct)


def multi_region():
    other_region = "us-west-2" if REGION != "us-west-2" else "us-east-1"
    west = client(os.environ["KMS_ADMIN_KEY_ID"], os.environ["KMS_ADMIN_SECRET"], other_region)
    m = kms.create_key(MultiRegion=True, Description="mrk")["KeyMetadata"]
    assert m["KeyId"].startswith("mrk-") and m["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY", m
    r = kms.replicate_key(KeyId=m["Arn"], ReplicaRegion=other_region)["ReplicaKeyMetadata"]
    assert r["Arn"] == m["Arn"].replace(f":{REGION}:", f":{other_region}:"), r
    # Encrypted in one region, decrypted in the other with the replica.
    ct = kms.encrypt(KeyId=m["KeyId"], Plaintext=b"across regions", EncryptionContext={"r": "1"})["CiphertextBlob"]
    assert west.decrypt(CiphertextBlob=ct, EncryptionContext={"r": "1"}, KeyId=r["Arn"])["Plaintext"] == b"across regions"
    kms.update_primary_region(KeyId=m["Arn"], PrimaryRegion=other_region)
    d = west.describe_key(KeyId=r["Arn"])["KeyMetadata"]["MultiRegionConfiguration"]
    assert d["MultiRegionKeyType"] == "PRIMARY", d
    expect_error("NotFoundException", west.describe_key, KeyId=results["key"])


def errors():
    expect_error("NotFoundException", kms.describe_key, KeyId="alias/does-not-exist")
    expect_error("NotFoundException", kms.encrypt, KeyId="11111111-2222-3333-4444-555555555555", Plaintext=b"x")
    expect_error("DisabledException", kms.encrypt, KeyId=results["disabled_key"], Plaintext=b"x")
    plain_key = kms.create_key()["KeyMetadata"]["KeyId"]
    ct = kms.encrypt(KeyId=plain_key, Plaintext=b"x", EncryptionContext={"tenant": "right"})["CiphertextBlob"]
    expect_error("InvalidCiphertextException", kms.decrypt, CiphertextBlob=ct, EncryptionContext={"tenant": "wrong"})
    expect_error("IncorrectKeyException", kms.decrypt, CiphertextBlob=ct, EncryptionContext={"tenant": "right"}, KeyId=results["key"])
    expect_error("AccessDeniedException", nobody.describe_key, KeyId=results["key"])
    expect_error("AccessDeniedException", nobody.create_key)
    expect_error("InvalidSignatureException", wrong_secret.list_keys)
    expect_error("UnrecognizedClientException", unknown_id.list_keys)
    expect_error("InvalidSignatureException", client(os.environ["KMS_ADMIN_KEY_ID"], os.environ["KMS_ADMIN_SECRET"], "mars-north-1").list_keys)
    expect_error("ValidationException", kms.create_key, KeySpec="SM2")


STEPS = [keys_lifecycle, aliases, encrypt_decrypt_reencrypt, data_keys, data_key_pairs, random_bytes,
         sign_verify_public_key, macs, derive_shared_secret, encapsulate, imported_material, multi_region,
         grants, policies, tags, rotation, errors]

if __name__ == "__main__":
    for step in STEPS:
        try:
            step()
        except Exception:
            print(f"FAILED {step.__name__}", flush=True)
            traceback.print_exc()
            sys.exit(1)
        print(f"ok {step.__name__}", flush=True)
    with open(os.environ["KMS_OUT"], "w") as f:
        json.dump(results, f)
