//! The chapters of the digest's §6–§12 (S3 replication, AMI sharing, Parameter Store, Secrets Manager, ACM, WAF/Firewall Manager/DDoS, the scanner).

mod ami;
mod certificates;
mod kit;
mod parameter_store;
mod s3_replication;
mod secrets_manager;
mod sensitive_data;
mod waf_fms_ddos;

use super::model::Chapter;

/// This part's chapters.
pub fn chapters() -> Vec<Chapter> {
    vec![
        s3_replication::chapter(),
        ami::chapter(),
        parameter_store::chapter(),
        secrets_manager::chapter(),
        certificates::chapter(),
        waf_fms_ddos::chapter(),
        sensitive_data::chapter(),
    ]
}
