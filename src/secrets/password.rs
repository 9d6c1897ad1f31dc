//! GetRandomPassword: a password from the OS's randomness, each character drawn uniformly
//! (rejection sampling, no modulo bias) from the allowed set.
//!
//! Rules (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html>):
//! length 1–4096, default 32; by default upper- and lowercase letters, digits and the
//! punctuation ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``; no space unless `IncludeSpace`;
//! `ExcludeCharacters` removes characters; `RequireEachIncludedType` (default true) puts at least
//! one character of each included type in the password.

use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::error::SecretsError;
use super::ops::{allow, params, Call};

/// The punctuation AWS draws from.
pub const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";

/// The options of a password.
#[derive(Debug, Clone)]
pub struct PasswordOptions {
    pub length: usize,
    pub exclude_characters: String,
    pub exclude_numbers: bool,
    pub exclude_punctuation: bool,
    pub exclude_uppercase: bool,
    pub exclude_lowercase: bool,
    pub include_space: bool,
    pub require_each_included_type: bool,
}

impl Default for PasswordOptions {
    fn default() -> PasswordOptions {
        PasswordOptions {
            length: 32,
            exclude_characters: String::new(),
            exclude_numbers: false,
            exclude_punctuation: false,
            exclude_uppercase: false,
            exclude_lowercase: false,
            include_space: false,
            require_each_included_type: true,
        }
    }
}

/// A uniform index below `n` (1 ≤ n ≤ 2^16) from random bytes: rejection sampling on 32-bit draws.
fn uniform(n: usize, pool: &mut Vec<u8>) -> Result<usize, SecretsError> {
    let n = u64::try_from(n)
        .ok()
        .filter(|n| (1..=1 << 16).contains(n))
        .ok_or_else(|| SecretsError::internal("a random index was asked for an empty or too large range"))?;
    let space = 1u64 << 32;
    let limit = space - space % n;
    loop {
        if pool.len() < 4 {
            pool.resize(256, 0);
            getrandom::fill(pool).map_err(|e| SecretsError::internal(format!("no randomness: {e}")))?;
        }
        let mut b = [0u8; 4];
        for x in &mut b {
            *x = pool.pop().unwrap_or(0);
        }
        let v = u64::from(u32::from_le_bytes(b));
        if v < limit {
            return usize::try_from(v % n).map_err(|_| SecretsError::internal("index"));
        }
    }
}

/// A random password.
pub fn generate(o: &PasswordOptions) -> Result<Zeroizing<String>, SecretsError> {
    if !(1..=4096).contains(&o.length) {
        return Err(SecretsError::invalid_parameter("PasswordLength must be between 1 and 4096"));
    }
    let keep =
        |set: &str| -> Vec<char> { set.chars().filter(|c| !o.exclude_characters.contains(*c)).collect() };
    let mut types: Vec<Vec<char>> = Vec::new();
    if !o.exclude_uppercase {
        types.push(keep(UPPER));
    }
    if !o.exclude_lowercase {
        types.push(keep(LOWER));
    }
    if !o.exclude_numbers {
        types.push(keep(DIGITS));
    }
    if !o.exclude_punctuation {
        types.push(keep(PUNCTUATION));
    }
    if o.include_space {
        types.push(keep(" "));
    }
    types.retain(|t| !t.is_empty());
    let all: Vec<char> = types.iter().flatten().copied().collect();
    if all.is_empty() {
        return Err(SecretsError::invalid_parameter(
            "The password can't be generated: every character type is excluded.",
        ));
    }
    if o.require_each_included_type && o.length < types.len() {
        return Err(SecretsError::invalid_parameter(format!(
            "The password length {} is too short to include one character of each of the {} included types.",
            o.length,
            types.len()
        )));
    }
    let mut pool = Vec::new();
    let mut out: Vec<char> = Vec::with_capacity(o.length);
    if o.require_each_included_type {
        for t in &types {
            out.push(*t.get(uniform(t.len(), &mut pool)?).unwrap_or(&'x'));
        }
    }
    while out.len() < o.length {
        out.push(*all.get(uniform(all.len(), &mut pool)?).unwrap_or(&'x'));
    }
    // Fisher–Yates: the required characters end up anywhere.
    for i in (1..out.len()).rev() {
        let j = uniform(i + 1, &mut pool)?;
        out.swap(i, j);
    }
    let s = Zeroizing::new(out.iter().collect::<String>());
    out.iter_mut().for_each(|c| *c = '\0');
    Ok(s)
}

/// GetRandomPassword.
pub fn get_random_password(c: &mut Call<'_>, request: &Value) -> Result<Value, SecretsError> {
    let p = params(
        request,
        &[
            "PasswordLength",
            "ExcludeCharacters",
            "ExcludeNumbers",
            "ExcludePunctuation",
            "ExcludeUppercase",
            "ExcludeLowercase",
            "IncludeSpace",
            "RequireEachIncludedType",
        ],
    )?;
    let e = SecretsError::from_params;
    let d = PasswordOptions::default();
    let o = PasswordOptions {
        length: usize::try_from(p.int("PasswordLength", 1, 4096).map_err(e)?.unwrap_or(32)).unwrap_or(32),
        exclude_characters: p.str("ExcludeCharacters", 0, 4096).map_err(e)?.unwrap_or("").to_string(),
        exclude_numbers: p.bool("ExcludeNumbers").map_err(e)?.unwrap_or(d.exclude_numbers),
        exclude_punctuation: p.bool("ExcludePunctuation").map_err(e)?.unwrap_or(d.exclude_punctuation),
        exclude_uppercase: p.bool("ExcludeUppercase").map_err(e)?.unwrap_or(d.exclude_uppercase),
        exclude_lowercase: p.bool("ExcludeLowercase").map_err(e)?.unwrap_or(d.exclude_lowercase),
        include_space: p.bool("IncludeSpace").map_err(e)?.unwrap_or(d.include_space),
        require_each_included_type: p
            .bool("RequireEachIncludedType")
            .map_err(e)?
            .unwrap_or(d.require_each_included_type),
    };
    allow(c, "GetRandomPassword", None, &[])?;
    let pw = generate(&o)?;
    Ok(json!({"RandomPassword": pw.as_str()}))
}
