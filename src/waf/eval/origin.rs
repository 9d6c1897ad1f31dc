//! Where the country and the ASN of an address come from when GeoMatch, AsnMatch, an ASN rate
//! key or the log record need them: a value supplied with the request wins (`country`/`asn`
//! for the client address, `forwardedCountry`/`forwardedAsn` for a forwarded one); otherwise
//! the offline geo database, when the engine was given one; otherwise unknown (no match). No
//! matching here.

use std::net::IpAddr;

use crate::waf::log::GeoOrigin;

use super::flow::Run;

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// Supplied with the request.
    Request,
    /// Looked up in the offline geo database.
    Database,
    /// Neither.
    Unknown,
}

impl Source {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Database => "database",
            Self::Unknown => "unknown",
        }
    }
}

impl Run<'_> {
    /// Country of `ip`: `supplied` (from the request) or the database's.
    pub(super) fn country_of(&self, ip: IpAddr, supplied: Option<&String>) -> (Option<String>, Source) {
        if let Some(c) = supplied {
            return (Some(c.clone()), Source::Request);
        }
        match self.geo.and_then(|db| db.country(ip)) {
            Some(c) => (Some(c.as_str().to_owned()), Source::Database),
            None => (None, Source::Unknown),
        }
    }

    /// ASN of `ip`: `supplied` (from the request) or the database's.
    pub(super) fn asn_of(&self, ip: IpAddr, supplied: Option<u64>) -> (Option<u64>, Source) {
        if let Some(a) = supplied {
            return (Some(a), Source::Request);
        }
        match self.geo.and_then(|db| db.asn(ip)) {
            Some(a) => (Some(u64::from(a)), Source::Database),
            None => (None, Source::Unknown),
        }
    }

    /// The trace note for a country or ASN (`what`) of `ip`.
    pub(super) fn origin_note(&self, what: &str, value: Option<&str>, ip: IpAddr, source: Source) -> String {
        match (value, source) {
            (Some(v), Source::Request) => format!("{what} `{v}` of {ip} supplied with the request"),
            (Some(v), _) => format!("{what} `{v}` of {ip} from the offline geo database"),
            (None, _) if self.geo.is_some() => {
                format!("{what} unknown: {ip} is in no range of the offline geo database")
            }
            (None, _) => format!(
                "{what} unknown: give `{what}` with the request (`forwarded{}` for a forwarded address) or load the offline geo database",
                if what == "country" { "Country" } else { "Asn" }
            ),
        }
    }

    /// The client address's country and ASN with their sources, for the log record.
    pub(super) fn client_origin(&self) -> GeoOrigin {
        let ip = self.req.client_ip;
        let (country, cs) = self.country_of(ip, self.req.country.as_ref());
        let (asn, asn_source) = self.asn_of(ip, self.req.asn);
        GeoOrigin { country, country_source: cs.as_str(), asn, asn_source: asn_source.as_str() }
    }
}
