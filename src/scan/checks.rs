//! The validations behind the detectors: checksums, issuer ranges, country lengths, date rules.
//! Each takes the candidate's characters (separators already removed) and says yes or no; none
//! allocates more than the candidate. Nothing here searches text (see `detect`).

/// The Luhn (mod 10) check over ASCII digits (ISO/IEC 7812-1 annex B).
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        if !d.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The number of the first `n` digits (n ≤ 9), or `None` if there are fewer.
fn prefix(digits: &[u8], n: usize) -> Option<u32> {
    let p = digits.get(..n)?;
    p.iter().try_fold(0u32, |acc, d| d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0')))
}

/// The card network of a number by its issuer identification number and length, if any.
/// Ranges and lengths: Visa, Mastercard (51–55 and, since 2017, 2221–2720), American Express
/// (34, 37), Discover (6011, 644–649, 65, 622126–622925), JCB (3528–3589), Diners Club
/// (300–305, 36, 38, 39), UnionPay (62). <https://www.mastercard.us/en-us/business/overview/start-accepting/2-series-bins.html>
pub fn card_network(digits: &[u8]) -> Option<&'static str> {
    let len = digits.len();
    let p1 = prefix(digits, 1)?;
    let p2 = prefix(digits, 2)?;
    let p3 = prefix(digits, 3)?;
    let p4 = prefix(digits, 4)?;
    let p6 = prefix(digits, 6).unwrap_or(0);
    if p1 == 4 && matches!(len, 13 | 16 | 19) {
        return Some("Visa");
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        return Some("Mastercard");
    }
    if (p2 == 34 || p2 == 37) && len == 15 {
        return Some("American Express");
    }
    if (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622_126..=622_925).contains(&p6))
        && (16..=19).contains(&len)
    {
        return Some("Discover");
    }
    if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        return Some("JCB");
    }
    if ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && (14..=19).contains(&len) {
        return Some("Diners Club");
    }
    if p2 == 62 && (16..=19).contains(&len) {
        return Some("UnionPay");
    }
    None
}

/// IBAN lengths by country, from the SWIFT IBAN registry
/// (<https://www.swift.com/standards/data-standards/iban-international-bank-account-number>).
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
];

/// The registered IBAN length for a country code.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(c, _)| c.as_slice() == country).map(|(_, n)| *n)
}

/// An IBAN (spaces removed, upper case): its country's length and the ISO 13616 mod-97 check
/// (move the first four characters to the end, letters to 10–35, the number mod 97 is 1).
pub fn iban(s: &[u8]) -> bool {
    let (Some(country), Some(check)) = (s.get(..2), s.get(2..4)) else { return false };
    if !country.iter().all(u8::is_ascii_uppercase) || !check.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if iban_length(country) != Some(s.len()) {
        return false;
    }
    let (head, tail) = s.split_at(4);
    let mut rem = 0u32;
    for &c in tail.iter().chain(head) {
        match c {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return false,
        }
    }
    rem == 1
}

/// A US social security number's area, group and serial: not area 000, 666 or 900–999, not group
/// 00, not serial 0000 (<https://www.ssa.gov/employer/randomization.html>,
/// <https://secure.ssa.gov/poms.nsf/lnx/0110201035>), and not the two numbers the SSA lists as
/// misused in advertising, 078-05-1120 and 219-09-9999 (<https://www.ssa.gov/history/ssn/misused.html>).
pub fn ssn(area: u32, group: u32, serial: u32) -> bool {
    if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
        return false;
    }
    !matches!((area, group, serial), (78, 5, 1120) | (219, 9, 9999))
}

/// Days in a month of a (proleptic Gregorian) year.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date.
pub fn valid_date(year: u32, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// What a Korean resident registration number's check digit says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RrnCheck {
    /// The 13th digit matches the weighted sum (numbers issued before October 2020).
    Valid,
    /// The birth date is on or after 2020-10-05, when the back six digits stopped carrying a region
    /// code and a check digit: there is nothing to check.
    NotApplicable,
    /// The date is impossible, the 7th digit unknown, or the check digit wrong.
    Invalid,
}

/// A Korean resident registration number, 13 ASCII digits: YYMMDD, the 7th digit (century and
/// sex: 9/0 1800s, 1/2 and 5/6 1900s, 3/4 and 7/8 2000s), then the check digit
/// `(11 − Σ dᵢ·wᵢ mod 11) mod 10` with weights 2,3,4,5,6,7,8,9,2,3,4,5. Since 2020-10-05 the
/// last six digits are random (Ministry of the Interior and Safety), so for birth dates from then
/// on there is no check digit to verify.
pub fn korea_rrn(d: &[u8]) -> RrnCheck {
    if d.len() != 13 || !d.iter().all(u8::is_ascii_digit) {
        return RrnCheck::Invalid;
    }
    let n: Vec<u32> = d.iter().map(|c| u32::from(c - b'0')).collect();
    let at = |i: usize| n.get(i).copied().unwrap_or(0);
    let yy = at(0) * 10 + at(1);
    let month = at(2) * 10 + at(3);
    let day = at(4) * 10 + at(5);
    let century = match at(6) {
        9 | 0 => 1800,
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return RrnCheck::Invalid,
    };
    let year = century + yy;
    if !valid_date(year, month, day) {
        return RrnCheck::Invalid;
    }
    const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = W.iter().enumerate().map(|(i, w)| at(i) * w).sum();
    if (11 - sum % 11) % 10 == at(12) {
        return RrnCheck::Valid;
    }
    if (year, month, day) >= (2020, 10, 5) {
        RrnCheck::NotApplicable
    } else {
        RrnCheck::Invalid
    }
}

/// Base64url (no padding; tolerates `=`) to bytes, bounded by the caller's slice length.
pub fn base64url(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let trimmed = s.strip_suffix(b"==").or_else(|| s.strip_suffix(b"=")).unwrap_or(s);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed).ok()
}

/// A JWT's header and payload segments: the header must decode to a JSON object with a string
/// `alg` (RFC 7515 §4.1.1, RFC 7519 §5) and the payload to JSON (a JWS) — or the token is a JWE
/// (five segments), whose header alone is checked by the caller.
pub fn jwt_header(header: &[u8]) -> bool {
    let Some(bytes) = base64url(header) else { return false };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(m)) => m.get("alg").is_some_and(serde_json::Value::is_string),
        _ => false,
    }
}

/// A JWS payload decodes to a JSON value.
pub fn jwt_payload(payload: &[u8]) -> bool {
    base64url(payload).is_some_and(|b| serde_json::from_slice::<serde_json::Value>(&b).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known() {
        assert!(luhn(b"4111111111111111"));
        assert!(!luhn(b"4111111111111112"));
        assert!(luhn(b"79927398713"));
    }

    #[test]
    fn iban_known() {
        // The ECBS example IBANs.
        assert!(iban(b"GB82WEST12345698765432"));
        assert!(iban(b"DE89370400440532013000"));
        assert!(!iban(b"GB82WEST12345698765433"));
    }

    #[test]
    fn rrn_checks() {
        // 800101-1: weights → sum; construct a valid one.
        let base = b"800101123456";
        const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
        let s: u32 = base.iter().zip(W).map(|(c, w)| u32::from(c - b'0') * w).sum();
        let check = (11 - s % 11) % 10;
        let mut v = base.to_vec();
        v.push(b'0' + check as u8);
        assert_eq!(korea_rrn(&v), RrnCheck::Valid);
        let last = v.len() - 1;
        v[last] = b'0' + ((check + 1) % 10) as u8;
        assert_eq!(korea_rrn(&v), RrnCheck::Invalid);
    }
}
