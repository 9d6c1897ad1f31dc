"""The peers of `make bench-scan` on the same labelled set as ours, scored the same way.

Reads <out>/scan-set.jsonl (written by scan-bench: each sample's text, label and our types) and
runs Microsoft Presidio's pattern recognizers (presidio-analyzer, without its spaCy NER model,
which is not on PyPI: no NLP artefacts, so no context enhancement; every result counts, as with
the analyzer's default score_threshold of 0) and Yelp's detect-secrets (its default plugins, line
by line) on each sample. Prints precision / recall / F1 per type for ours and each peer, on the
types each peer covers, and the micro-averaged F1 over those types.

Scoring, per sample: a labelled sample is a true positive for its type when the tool reports that
type in it (else a false negative); every other type the tool reports in it is a false positive.
Peer types are mapped to ours: Presidio CREDIT_CARD, IBAN_CODE, EMAIL_ADDRESS, PHONE_NUMBER,
US_SSN, KR_RRN, and DATE_TIME (its nearest to a date of birth); detect-secrets "AWS Access Key"
(counted as whichever AWS type the sample holds, else as an access key id), "Private Key",
"JSON Web Token". Peer types with no counterpart here (URLs, entropy strings, …) are ignored.

Usage: peers.py <out-dir>
"""
import json
import sys
import time
from collections import defaultdict

LABELS = ["CREDIT_CARD_NUMBER", "IBAN", "AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS", "PRIVATE_KEY", "JSON_WEB_TOKEN",
          "EMAIL_ADDRESS", "PHONE_NUMBER", "USA_SOCIAL_SECURITY_NUMBER", "KOREA_RESIDENT_REGISTRATION_NUMBER",
          "DATE_OF_BIRTH"]


def presidio_tool():
    # Presidio's email recognizer asks tldextract for the public suffix list, which it would fetch
    # from the network: use the snapshot bundled with tldextract instead (nothing leaves the host).
    import tldextract
    import tldextract.tldextract as tx
    tx.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    from presidio_analyzer import predefined_recognizers as pr
    recs = [
        (pr.CreditCardRecognizer(), "CREDIT_CARD_NUMBER"),
        (pr.IbanRecognizer(), "IBAN"),
        (pr.EmailRecognizer(), "EMAIL_ADDRESS"),
        (pr.PhoneRecognizer(supported_regions=("US", "GB", "KR")), "PHONE_NUMBER"),
        (pr.UsSsnRecognizer(), "USA_SOCIAL_SECURITY_NUMBER"),
        (pr.DateRecognizer(), "DATE_OF_BIRTH"),
    ]
    kr = getattr(pr, "KrRrnRecognizer", None)
    if kr is not None:
        recs.append((kr(), "KOREA_RESIDENT_REGISTRATION_NUMBER"))

    def run(text, label):
        found = set()
        for rec, ours in recs:
            if rec.analyze(text, entities=rec.supported_entities, nlp_artifacts=None):
                found.add(ours)
        return found

    return run, {ours for _, ours in recs}


def detect_secrets_tool():
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    def run(text, label):
        found = set()
        with default_settings():
            for line in text.splitlines():
                for secret in scan_line(line):
                    t = secret.type
                    if t == "AWS Access Key":
                        found.add(label if label in ("AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS") else "AWS_ACCESS_KEY_ID")
                    elif t == "Private Key":
                        found.add("PRIVATE_KEY")
                    elif t == "JSON Web Token":
                        found.add("JSON_WEB_TOKEN")
        return found

    return run, {"AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS", "PRIVATE_KEY", "JSON_WEB_TOKEN"}


def score(samples, predictions, types):
    s = {t: [0, 0, 0] for t in types}  # tp, fp, fn
    for sample, found in zip(samples, predictions):
        label = sample["label"]
        found = found & types
        if label in types:
            s[label][0 if label in found else 2] += 1
        for t in found:
            if t != label:
                s[t][1] += 1
    return s


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target"
    samples = [json.loads(l) for l in open(f"{out}/scan-set.jsonl", encoding="utf8")]
    pos = sum(1 for s in samples if s["label"])
    print(f"labelled set: {len(samples)} samples, {pos} positives, {len(samples) - pos} hard negatives")
    ours = [set(s["ours"]) for s in samples]
    tools = []
    for name, make in [("Presidio (patterns)", presidio_tool), ("detect-secrets", detect_secrets_tool)]:
        try:
            run, types = make()
        except Exception as e:  # the peer is missing: say so and go on
            print(f"{name}: unavailable ({e})")
            continue
        t = time.perf_counter()
        preds = [run(s["text"], s["label"]) for s in samples]
        print(f"{name}: {len(samples)} samples in {time.perf_counter() - t:.1f} s")
        tools.append((name, types, preds))

    all_types = set(LABELS)
    ours_s = score(samples, ours, all_types)
    header = "| type | ours P / R / F1 |" + "".join(f" {n} P / R / F1 |" for n, _, _ in tools)
    print()
    print(header)
    print("|---" * (2 + len(tools)) + "|")
    peer_scores = [(n, types, score(samples, preds, types)) for n, types, preds in tools]
    for t in LABELS:
        row = f"| {t} | {'%.3f / %.3f / %.3f' % prf(*ours_s[t])} |"
        for _, types, s in peer_scores:
            row += f" {'%.3f / %.3f / %.3f' % prf(*s[t])} |" if t in types else " — |"
        print(row)
    print()
    for n, types, s in peer_scores:
        sums = lambda sc: [sum(sc[t][i] for t in types) for i in range(3)]
        print(f"micro F1 on {n}'s types ({len(types)}): ours {prf(*sums(ours_s))[2]:.3f}, {n} {prf(*sums(s))[2]:.3f}")


if __name__ == "__main__":
    main()
