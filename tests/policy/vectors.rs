#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Conformance: every case of `shared/vectors/iam/policy-eval-cases.json`, one test per case id.
//! Every case must give the expected decision. `doubtful` ones (AWS documents no answer; the
//! vectors' README lists them) are held to today's answers, which agree with the file: a change
//! in one fails with a message saying so, to be settled from a source before the expectation
//! moves. `every_case_is_listed` keeps this list in step with the file.

use std::collections::HashMap;
use std::sync::OnceLock;

use secplay::policy::{evaluate_policy, evaluate_policy_str};
use serde_json::{json, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/iam/policy-eval-cases.json");

fn cases() -> &'static HashMap<String, Value> {
    static CASES: OnceLock<HashMap<String, Value>> = OnceLock::new();
    CASES.get_or_init(|| {
        let text = std::fs::read_to_string(VECTORS).expect("read the policy vectors");
        let file: Value = serde_json::from_str(&text).expect("vectors are JSON");
        assert_eq!(file["format"], "aws-policy-eval-vectors");
        file["cases"]
            .as_array()
            .expect("cases array")
            .iter()
            .map(|c| (c["id"].as_str().expect("id").to_string(), c.clone()))
            .collect()
    })
}

/// Evaluates a case both as a value and as text; both must agree.
fn decide(case: &Value) -> (String, Value) {
    let input = json!({"request": case["request"], "policies": case["policies"]});
    let out = evaluate_policy(&input).unwrap_or_else(|e| panic!("{}: {e}", case["id"]));
    let text = serde_json::to_string_pretty(&input).unwrap();
    let out_text = evaluate_policy_str(&text).unwrap();
    assert_eq!(out["decision"], out_text["decision"], "value and text inputs disagree");
    (out["decision"].as_str().unwrap().to_string(), out)
}

fn run(id: &str) {
    let case = cases().get(id).unwrap_or_else(|| panic!("case `{id}` is not in the file"));
    let expected = case["expected"]["decision"].as_str().unwrap();
    let (got, out) = decide(case);
    if got == expected {
        return;
    }
    let trace: Vec<String> =
        out["trace"].as_array().unwrap().iter().map(|s| s["message"].as_str().unwrap().to_string()).collect();
    if case["confidence"] == "doubtful" {
        panic!(
            "doubtful case {id} changed: the engine gave {expected} until now, and now gives {got} ({}); \
             AWS documents no answer, so find a source before changing the case's expectation\ntrace:\n  {}",
            case["title"],
            trace.join("\n  ")
        );
    }
    panic!(
        "{id} ({}): expected {expected}, got {got}\n  {}\ntrace:\n  {}",
        case["confidence"],
        case["title"],
        trace.join("\n  ")
    );
}

#[test]
fn conformance_summary() {
    let mut pass = HashMap::<&str, (usize, usize)>::new();
    for case in cases().values() {
        let conf = case["confidence"].as_str().unwrap();
        let (got, _) = decide(case);
        let e = pass.entry(conf).or_default();
        e.1 += 1;
        if got == case["expected"]["decision"].as_str().unwrap() {
            e.0 += 1;
        }
    }
    let mut keys: Vec<_> = pass.keys().copied().collect();
    keys.sort_unstable();
    for k in keys {
        let (p, n) = pass[k];
        eprintln!("policy vectors, {k}: {p}/{n} give the expected decision");
    }
    // The vectors' README lists 18 doubtful cases; all of them keep their answers.
    assert_eq!(pass.get("doubtful"), Some(&(18, 18)), "doubtful cases give today's answers");
    for must in ["documented", "high"] {
        let (p, n) = pass.get(must).copied().unwrap_or_default();
        assert!(n > 0, "no {must} cases were read");
        assert_eq!(p, n, "{must} cases must all pass");
    }
}

macro_rules! cases {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $name() {
                run($id);
            }
        )*

        #[test]
        fn every_case_is_listed() {
            let listed: std::collections::HashSet<&str> = [$($id),*].into_iter().collect();
            let mut missing: Vec<&String> =
                cases().keys().filter(|k| !listed.contains(k.as_str())).collect();
            missing.sort();
            assert!(missing.is_empty(), "cases without a test: {missing:?}");
            assert_eq!(listed.len(), cases().len());
        }
    };
}

cases! {
    doc_001 => "doc-001",
    doc_003 => "doc-003",
    doc_004 => "doc-004",
    doc_005 => "doc-005",
    doc_006 => "doc-006",
    doc_007 => "doc-007",
    doc_011 => "doc-011",
    doc_012 => "doc-012",
    doc_013 => "doc-013",
    doc_014 => "doc-014",
    doc_015 => "doc-015",
    doc_016 => "doc-016",
    doc_017 => "doc-017",
    doc_019 => "doc-019",
    doc_021 => "doc-021",
    doc_023 => "doc-023",
    doc_025 => "doc-025",
    doc_026 => "doc-026",
    doc_028 => "doc-028",
    doc_029 => "doc-029",
    doc_030 => "doc-030",
    doc_032 => "doc-032",
    doc_033 => "doc-033",
    doc_034 => "doc-034",
    doc_037 => "doc-037",
    doc_038 => "doc-038",
    doc_040 => "doc-040",
    doc_041 => "doc-041",
    doc_042 => "doc-042",
    doc_044 => "doc-044",
    doc_045 => "doc-045",
    doc_046 => "doc-046",
    doc_047 => "doc-047",
    doc_048 => "doc-048",
    doc_050 => "doc-050",
    doc_051 => "doc-051",
    doc_052 => "doc-052",
    doc_053 => "doc-053",
    doc_054 => "doc-054",
    doc_057 => "doc-057",
    doc_059 => "doc-059",
    doc_060 => "doc-060",
    doc_062 => "doc-062",
    doc_063 => "doc-063",
    doc_064 => "doc-064",
    doc_065 => "doc-065",
    doc_066 => "doc-066",
    doc_067 => "doc-067",
    doc_068 => "doc-068",
    doc_070 => "doc-070",
    doc_071 => "doc-071",
    doc_072 => "doc-072",
    doc_073 => "doc-073",
    doc_075 => "doc-075",
    doc_076 => "doc-076",
    doc_077 => "doc-077",
    doc_078 => "doc-078",
    doc_079 => "doc-079",
    doc_080 => "doc-080",
    doc_081 => "doc-081",
    doc_082 => "doc-082",
    doc_083 => "doc-083",
    doc_084 => "doc-084",
    doc_086 => "doc-086",
    doc_087 => "doc-087",
    doc_088 => "doc-088",
    doc_089 => "doc-089",
    doc_090 => "doc-090",
    doc_091 => "doc-091",
    doc_094 => "doc-094",
    doc_095 => "doc-095",
    doc_098 => "doc-098",
    doc_099 => "doc-099",
    doc_101 => "doc-101",
    doc_102 => "doc-102",
    doc_103 => "doc-103",
    doc_104 => "doc-104",
    doc_105 => "doc-105",
    doc_106 => "doc-106",
    doc_107 => "doc-107",
    doc_108 => "doc-108",
    doc_109 => "doc-109",
    doc_110 => "doc-110",
    doc_112 => "doc-112",
    doc_113 => "doc-113",
    doc_114 => "doc-114",
    pmapper_01 => "pmapper-01",
    pmapper_02 => "pmapper-02",
    pmapper_03 => "pmapper-03",
    pmapper_04 => "pmapper-04",
    pmapper_05 => "pmapper-05",
    pmapper_06 => "pmapper-06",
    pmapper_07 => "pmapper-07",
    pmapper_08 => "pmapper-08",
    pmapper_09 => "pmapper-09",
    pmapper_10 => "pmapper-10",
    pmapper_11 => "pmapper-11",
    pmapper_12 => "pmapper-12",
    pmapper_13 => "pmapper-13",
    pmapper_14 => "pmapper-14",
    pmapper_15 => "pmapper-15",
    pmapper_16 => "pmapper-16",
    pmapper_17 => "pmapper-17",
    pmapper_18 => "pmapper-18",
    pmapper_19 => "pmapper-19",
    pmapper_20 => "pmapper-20",
    pmapper_21 => "pmapper-21",
    pmapper_22 => "pmapper-22",
    pmapper_23 => "pmapper-23",
    pmapper_24 => "pmapper-24",
    pmapper_25 => "pmapper-25",
    pmapper_26 => "pmapper-26",
    pmapper_27 => "pmapper-27",
    pmapper_28 => "pmapper-28",
    pmapper_29 => "pmapper-29",
    pmapper_30 => "pmapper-30",
    pmapper_31 => "pmapper-31",
    pmapper_32 => "pmapper-32",
    pmapper_33 => "pmapper-33",
    pmapper_34 => "pmapper-34",
    pmapper_35 => "pmapper-35",
    pmapper_36 => "pmapper-36",
    pmapper_37 => "pmapper-37",
    pmapper_38 => "pmapper-38",
    pmapper_39 => "pmapper-39",
    pmapper_40 => "pmapper-40",
    pmapper_41 => "pmapper-41",
    pmapper_42 => "pmapper-42",
    pmapper_43 => "pmapper-43",
    pmapper_44 => "pmapper-44",
    pmapper_45 => "pmapper-45",
    pmapper_46 => "pmapper-46",
    pmapper_47 => "pmapper-47",
    pmapper_48 => "pmapper-48",
    pmapper_49 => "pmapper-49",
    pmapper_50 => "pmapper-50",
    pmapper_51 => "pmapper-51",
    pmapper_52 => "pmapper-52",
    pmapper_53 => "pmapper-53",
    pmapper_54 => "pmapper-54",
    pmapper_55 => "pmapper-55",
    pmapper_56 => "pmapper-56",
    pmapper_57 => "pmapper-57",
    pmapper_58 => "pmapper-58",
    pmapper_59 => "pmapper-59",
    pmapper_60 => "pmapper-60",
    pmapper_61 => "pmapper-61",
    pmapper_62 => "pmapper-62",
    pmapper_63 => "pmapper-63",
    pmapper_64 => "pmapper-64",
    pmapper_65 => "pmapper-65",
    pmapper_66 => "pmapper-66",
    pmapper_67 => "pmapper-67",
    pmapper_68 => "pmapper-68",
    pmapper_69 => "pmapper-69",
    pmapper_70 => "pmapper-70",
    pmapper_71 => "pmapper-71",
    pmapper_72 => "pmapper-72",
    pmapper_73 => "pmapper-73",
    pmapper_74 => "pmapper-74",
    pmapper_75 => "pmapper-75",
    ics_anonymous_01 => "ics-anonymous-01",
    ics_anonymous_02 => "ics-anonymous-02",
    ics_anonymous_03 => "ics-anonymous-03",
    ics_anonymous_04 => "ics-anonymous-04",
    ics_anonymous_05 => "ics-anonymous-05",
    ics_anonymous_06 => "ics-anonymous-06",
    ics_anonymous_07 => "ics-anonymous-07",
    ics_anonymous_08 => "ics-anonymous-08",
    ics_anonymous_09 => "ics-anonymous-09",
    ics_anonymous_10 => "ics-anonymous-10",
    ics_anonymous_11 => "ics-anonymous-11",
    ics_anonymous_12 => "ics-anonymous-12",
    ics_basicresourcepolicies_differentaccount_01 => "ics-basicresourcepolicies-differentaccount-01",
    ics_basicresourcepolicies_differentaccount_02 => "ics-basicresourcepolicies-differentaccount-02",
    ics_basicresourcepolicies_differentaccount_03 => "ics-basicresourcepolicies-differentaccount-03",
    ics_basicresourcepolicies_differentaccount_04 => "ics-basicresourcepolicies-differentaccount-04",
    ics_basicresourcepolicies_differentaccount_05 => "ics-basicresourcepolicies-differentaccount-05",
    ics_basicresourcepolicies_differentaccount_06 => "ics-basicresourcepolicies-differentaccount-06",
    ics_basicresourcepolicies_differentaccount_07 => "ics-basicresourcepolicies-differentaccount-07",
    ics_basicresourcepolicies_differentaccount_08 => "ics-basicresourcepolicies-differentaccount-08",
    ics_basicresourcepolicies_sameaccount_01 => "ics-basicresourcepolicies-sameaccount-01",
    ics_basicresourcepolicies_sameaccount_02 => "ics-basicresourcepolicies-sameaccount-02",
    ics_basicresourcepolicies_sameaccount_03 => "ics-basicresourcepolicies-sameaccount-03",
    ics_basicresourcepolicies_sameaccount_04 => "ics-basicresourcepolicies-sameaccount-04",
    ics_basicresourcepolicies_sameaccount_05 => "ics-basicresourcepolicies-sameaccount-05",
    ics_basicresourcepolicies_sameaccount_06 => "ics-basicresourcepolicies-sameaccount-06",
    ics_basicresourcepolicies_sameaccount_07 => "ics-basicresourcepolicies-sameaccount-07",
    ics_basicresourcepolicies_sameaccount_08 => "ics-basicresourcepolicies-sameaccount-08",
    ics_basicresourcepolicies_sameaccount_09 => "ics-basicresourcepolicies-sameaccount-09",
    ics_blockedby_01 => "ics-blockedby-01",
    ics_blockedby_02 => "ics-blockedby-02",
    ics_blockedby_03 => "ics-blockedby-03",
    ics_blockedby_04 => "ics-blockedby-04",
    ics_blockedby_05 => "ics-blockedby-05",
    ics_blockedby_06 => "ics-blockedby-06",
    ics_blockedby_07 => "ics-blockedby-07",
    ics_boundarynotprincipaldenyresource_01 => "ics-boundarynotprincipaldenyresource-01",
    ics_boundarynotprincipaldenyresource_02 => "ics-boundarynotprincipaldenyresource-02",
    ics_commas_01 => "ics-commas-01",
    ics_commas_02 => "ics-commas-02",
    ics_commas_03 => "ics-commas-03",
    ics_commas_04 => "ics-commas-04",
    ics_commas_05 => "ics-commas-05",
    ics_commas_06 => "ics-commas-06",
    ics_conditions_forallvaluesmisused_01 => "ics-conditions-forallvaluesmisused-01",
    ics_conditions_forallvaluesmisused_02 => "ics-conditions-forallvaluesmisused-02",
    ics_conditions_globalkeys_01 => "ics-conditions-globalkeys-01",
    ics_conditions_numeric_01 => "ics-conditions-numeric-01",
    ics_conditions_numeric_02 => "ics-conditions-numeric-02",
    ics_conditions_numeric_03 => "ics-conditions-numeric-03",
    ics_conditions_numeric_04 => "ics-conditions-numeric-04",
    ics_conditions_numeric_05 => "ics-conditions-numeric-05",
    ics_conditions_numeric_06 => "ics-conditions-numeric-06",
    ics_conditions_numeric_07 => "ics-conditions-numeric-07",
    ics_conditions_numeric_08 => "ics-conditions-numeric-08",
    ics_endpoints_actiondeny_01 => "ics-endpoints-actiondeny-01",
    ics_endpoints_actiondeny_02 => "ics-endpoints-actiondeny-02",
    ics_endpoints_allow_01 => "ics-endpoints-allow-01",
    ics_endpoints_condition_01 => "ics-endpoints-condition-01",
    ics_endpoints_condition_02 => "ics-endpoints-condition-02",
    ics_endpoints_principaldeny_01 => "ics-endpoints-principaldeny-01",
    ics_endpoints_principaldeny_02 => "ics-endpoints-principaldeny-02",
    ics_endpoints_resourcedeny_01 => "ics-endpoints-resourcedeny-01",
    ics_endpoints_resourcedeny_02 => "ics-endpoints-resourcedeny-02",
    ics_identityexplicitdeny_01 => "ics-identityexplicitdeny-01",
    ics_identityexplicitdeny_02 => "ics-identityexplicitdeny-02",
    ics_identityexplicitdeny_03 => "ics-identityexplicitdeny-03",
    ics_identityexplicitdeny_04 => "ics-identityexplicitdeny-04",
    ics_identityonly_01 => "ics-identityonly-01",
    ics_identityonly_02 => "ics-identityonly-02",
    ics_identityonly_03 => "ics-identityonly-03",
    ics_identityonly_04 => "ics-identityonly-04",
    ics_identityonly_05 => "ics-identityonly-05",
    ics_identityonly_06 => "ics-identityonly-06",
    ics_identityonly_07 => "ics-identityonly-07",
    ics_identityonly_08 => "ics-identityonly-08",
    ics_identityonly_09 => "ics-identityonly-09",
    ics_identityonly_10 => "ics-identityonly-10",
    ics_identityonly_11 => "ics-identityonly-11",
    ics_identityonly_12 => "ics-identityonly-12",
    ics_identityonly_13 => "ics-identityonly-13",
    ics_identityonly_14 => "ics-identityonly-14",
    ics_identityonly_15 => "ics-identityonly-15",
    ics_identityonly_16 => "ics-identityonly-16",
    ics_kms_differentaccount_01 => "ics-kms-differentaccount-01",
    ics_kms_differentaccount_02 => "ics-kms-differentaccount-02",
    ics_kms_differentaccount_03 => "ics-kms-differentaccount-03",
    ics_kms_differentaccount_04 => "ics-kms-differentaccount-04",
    ics_kms_differentaccount_05 => "ics-kms-differentaccount-05",
    ics_kms_differentaccount_06 => "ics-kms-differentaccount-06",
    ics_kms_differentaccount_07 => "ics-kms-differentaccount-07",
    ics_kms_differentaccount_08 => "ics-kms-differentaccount-08",
    ics_kms_differentaccount_09 => "ics-kms-differentaccount-09",
    ics_kms_sameaccount_01 => "ics-kms-sameaccount-01",
    ics_kms_sameaccount_02 => "ics-kms-sameaccount-02",
    ics_kms_sameaccount_03 => "ics-kms-sameaccount-03",
    ics_kms_sameaccount_04 => "ics-kms-sameaccount-04",
    ics_kms_sameaccount_05 => "ics-kms-sameaccount-05",
    ics_kms_sameaccount_06 => "ics-kms-sameaccount-06",
    ics_kms_sameaccount_07 => "ics-kms-sameaccount-07",
    ics_kms_sameaccount_08 => "ics-kms-sameaccount-08",
    ics_kms_sameaccount_09 => "ics-kms-sameaccount-09",
    ics_kms_sameaccountwildcard_01 => "ics-kms-sameaccountwildcard-01",
    ics_notprincipal_01 => "ics-notprincipal-01",
    ics_notprincipal_02 => "ics-notprincipal-02",
    ics_notprincipal_03 => "ics-notprincipal-03",
    ics_notprincipal_04 => "ics-notprincipal-04",
    ics_permissionboundaries_crossaccount_01 => "ics-permissionboundaries-crossaccount-01",
    ics_permissionboundaries_crossaccount_02 => "ics-permissionboundaries-crossaccount-02",
    ics_permissionboundaries_crossaccount_03 => "ics-permissionboundaries-crossaccount-03",
    ics_permissionboundaries_crossaccount_04 => "ics-permissionboundaries-crossaccount-04",
    ics_permissionboundaries_crossaccount_05 => "ics-permissionboundaries-crossaccount-05",
    ics_permissionboundaries_crossaccount_06 => "ics-permissionboundaries-crossaccount-06",
    ics_permissionboundaries_crossaccount_07 => "ics-permissionboundaries-crossaccount-07",
    ics_permissionboundaries_crossaccount_08 => "ics-permissionboundaries-crossaccount-08",
    ics_permissionboundaries_crossaccount_09 => "ics-permissionboundaries-crossaccount-09",
    ics_permissionboundaries_crossaccount_10 => "ics-permissionboundaries-crossaccount-10",
    ics_permissionboundaries_crossaccount_11 => "ics-permissionboundaries-crossaccount-11",
    ics_permissionboundaries_crossaccount_12 => "ics-permissionboundaries-crossaccount-12",
    ics_permissionboundaries_crossaccount_13 => "ics-permissionboundaries-crossaccount-13",
    ics_permissionboundaries_crossaccount_14 => "ics-permissionboundaries-crossaccount-14",
    ics_permissionboundaries_sameaccount_01 => "ics-permissionboundaries-sameaccount-01",
    ics_permissionboundaries_sameaccount_02 => "ics-permissionboundaries-sameaccount-02",
    ics_permissionboundaries_sameaccount_03 => "ics-permissionboundaries-sameaccount-03",
    ics_permissionboundaries_sameaccount_04 => "ics-permissionboundaries-sameaccount-04",
    ics_permissionboundaries_sameaccount_05 => "ics-permissionboundaries-sameaccount-05",
    ics_permissionboundaries_sameaccount_06 => "ics-permissionboundaries-sameaccount-06",
    ics_permissionboundaries_sameaccount_07 => "ics-permissionboundaries-sameaccount-07",
    ics_permissionboundaries_sameaccount_08 => "ics-permissionboundaries-sameaccount-08",
    ics_permissionboundaries_sameaccount_09 => "ics-permissionboundaries-sameaccount-09",
    ics_permissionboundaries_sameaccount_10 => "ics-permissionboundaries-sameaccount-10",
    ics_permissionboundaries_sameaccount_11 => "ics-permissionboundaries-sameaccount-11",
    ics_permissionboundaries_sameaccount_12 => "ics-permissionboundaries-sameaccount-12",
    ics_permissionboundaries_sameaccount_13 => "ics-permissionboundaries-sameaccount-13",
    ics_permissionboundaries_sameaccount_14 => "ics-permissionboundaries-sameaccount-14",
    ics_permissionboundaries_sameaccount_15 => "ics-permissionboundaries-sameaccount-15",
    ics_permissionboundaries_sameaccount_16 => "ics-permissionboundaries-sameaccount-16",
    ics_permissionboundaries_sameaccount_20 => "ics-permissionboundaries-sameaccount-20",
    ics_rcps_01 => "ics-rcps-01",
    ics_rcps_02 => "ics-rcps-02",
    ics_rcps_03 => "ics-rcps-03",
    ics_rcps_04 => "ics-rcps-04",
    ics_rcps_05 => "ics-rcps-05",
    ics_rcps_06 => "ics-rcps-06",
    ics_rcps_07 => "ics-rcps-07",
    ics_s3_abac_01 => "ics-s3-abac-01",
    ics_s3_abac_02 => "ics-s3-abac-02",
    ics_s3_abac_03 => "ics-s3-abac-03",
    ics_s3_abac_04 => "ics-s3-abac-04",
    ics_s3_abac_05 => "ics-s3-abac-05",
    ics_s3_abac_06 => "ics-s3-abac-06",
    ics_s3_abac_07 => "ics-s3-abac-07",
    ics_s3_abac_08 => "ics-s3-abac-08",
    ics_s3_abac_09 => "ics-s3-abac-09",
    ics_s3_abac_10 => "ics-s3-abac-10",
    ics_s3_abac_11 => "ics-s3-abac-11",
    ics_s3_abac_12 => "ics-s3-abac-12",
    ics_s3_abac_13 => "ics-s3-abac-13",
    ics_s3_abac_14 => "ics-s3-abac-14",
    ics_scps_01 => "ics-scps-01",
    ics_scps_02 => "ics-scps-02",
    ics_scps_03 => "ics-scps-03",
    ics_scps_04 => "ics-scps-04",
    ics_scps_05 => "ics-scps-05",
    ics_scps_06 => "ics-scps-06",
    ics_scps_07 => "ics-scps-07",
    ics_scps_08 => "ics-scps-08",
    ics_scps_09 => "ics-scps-09",
    ics_scps_10 => "ics-scps-10",
    ics_scps_11 => "ics-scps-11",
    ics_scps_12 => "ics-scps-12",
    ics_scps_13 => "ics-scps-13",
    ics_sessionpolicies_01 => "ics-sessionpolicies-01",
    ics_sessionpolicies_02 => "ics-sessionpolicies-02",
    ics_sessionpolicies_03 => "ics-sessionpolicies-03",
    ics_sessionpolicies_04 => "ics-sessionpolicies-04",
    ics_sessionpolicies_05 => "ics-sessionpolicies-05",
    ics_sessionpolicies_06 => "ics-sessionpolicies-06",
    ics_sessionpolicies_07 => "ics-sessionpolicies-07",
    ics_sessionpolicies_08 => "ics-sessionpolicies-08",
    ics_sessions_01 => "ics-sessions-01",
    ics_sessions_02 => "ics-sessions-02",
    ics_sessions_03 => "ics-sessions-03",
    ics_sessions_04 => "ics-sessions-04",
    ics_sts_assumerole_differentaccount_01 => "ics-sts-assumerole-differentaccount-01",
    ics_sts_assumerole_differentaccount_02 => "ics-sts-assumerole-differentaccount-02",
    ics_sts_assumerole_differentaccount_03 => "ics-sts-assumerole-differentaccount-03",
    ics_sts_assumerole_differentaccount_04 => "ics-sts-assumerole-differentaccount-04",
    ics_sts_assumerole_differentaccount_05 => "ics-sts-assumerole-differentaccount-05",
    ics_sts_assumerole_differentaccount_06 => "ics-sts-assumerole-differentaccount-06",
    ics_sts_assumerole_differentaccount_07 => "ics-sts-assumerole-differentaccount-07",
    ics_sts_assumerole_differentaccount_08 => "ics-sts-assumerole-differentaccount-08",
    ics_sts_assumerole_differentaccount_09 => "ics-sts-assumerole-differentaccount-09",
    ics_sts_assumerole_sameaccount_01 => "ics-sts-assumerole-sameaccount-01",
    ics_sts_assumerole_sameaccount_02 => "ics-sts-assumerole-sameaccount-02",
    ics_sts_assumerole_sameaccount_03 => "ics-sts-assumerole-sameaccount-03",
    ics_sts_assumerole_sameaccount_04 => "ics-sts-assumerole-sameaccount-04",
    ics_sts_assumerole_sameaccount_05 => "ics-sts-assumerole-sameaccount-05",
    ics_sts_assumerole_sameaccount_06 => "ics-sts-assumerole-sameaccount-06",
    ics_sts_assumerole_sameaccount_07 => "ics-sts-assumerole-sameaccount-07",
    ics_sts_assumerole_sameaccount_08 => "ics-sts-assumerole-sameaccount-08",
    ics_sts_assumerole_sameaccount_09 => "ics-sts-assumerole-sameaccount-09",
    ics_sts_getcalleridentity_getcalleridentity_01 => "ics-sts-getcalleridentity-getcalleridentity-01",
    ics_sts_getcalleridentity_getcalleridentity_02 => "ics-sts-getcalleridentity-getcalleridentity-02",
    ics_sts_noresourcepolicies_differentaccount_01 => "ics-sts-noresourcepolicies-differentaccount-01",
    ics_sts_noresourcepolicies_differentaccount_02 => "ics-sts-noresourcepolicies-differentaccount-02",
    ics_sts_noresourcepolicies_differentaccount_03 => "ics-sts-noresourcepolicies-differentaccount-03",
    ics_sts_noresourcepolicies_sameaccount_01 => "ics-sts-noresourcepolicies-sameaccount-01",
    ics_sts_noresourcepolicies_sameaccount_02 => "ics-sts-noresourcepolicies-sameaccount-02",
    ics_sts_noresourcepolicies_sameaccount_03 => "ics-sts-noresourcepolicies-sameaccount-03",
    ics_sts_serviceprincipals_serviceprincipals_01 => "ics-sts-serviceprincipals-serviceprincipals-01",
    ics_sts_serviceprincipals_serviceprincipals_02 => "ics-sts-serviceprincipals-serviceprincipals-02",
    ics_sts_serviceprincipals_serviceprincipals_03 => "ics-sts-serviceprincipals-serviceprincipals-03",
    ics_wildcardonlyactions_denystatements_01 => "ics-wildcardonlyactions-denystatements-01",
    ics_wildcardonlyactions_denystatements_02 => "ics-wildcardonlyactions-denystatements-02",
    ics_wildcardonlyactions_denystatements_03 => "ics-wildcardonlyactions-denystatements-03",
    ics_wildcardonlyactions_denystatements_04 => "ics-wildcardonlyactions-denystatements-04",
    ics_wildcardonlyactions_identitypolicies_01 => "ics-wildcardonlyactions-identitypolicies-01",
    ics_wildcardonlyactions_identitypolicies_02 => "ics-wildcardonlyactions-identitypolicies-02",
    ics_wildcardonlyactions_notresource_01 => "ics-wildcardonlyactions-notresource-01",
    ics_wildcardonlyactions_notresource_02 => "ics-wildcardonlyactions-notresource-02",
    ics_wildcardonlyactions_notresource_03 => "ics-wildcardonlyactions-notresource-03",
    ics_wildcardonlyactions_notresource_04 => "ics-wildcardonlyactions-notresource-04",
    ics_wildcardonlyactions_permissionboundaries_01 => "ics-wildcardonlyactions-permissionboundaries-01",
    ics_wildcardonlyactions_permissionboundaries_02 => "ics-wildcardonlyactions-permissionboundaries-02",
    ics_wildcardonlyactions_scps_01 => "ics-wildcardonlyactions-scps-01",
    ics_wildcardonlyactions_scps_02 => "ics-wildcardonlyactions-scps-02",
    ics_wildcardonlyactions_scps_03 => "ics-wildcardonlyactions-scps-03",
    ics_wildcardonlyactions_scps_04 => "ics-wildcardonlyactions-scps-04",
}
