//! Parameter names, paths, selectors, labels and ARNs, checked as the Systems Manager user guide
//! states the rules ("Parameter Store reference", naming constraints:
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html>;
//! labels: <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html>).
//!
//! Not here: what the names point at (see [`super::store`]).

use super::error::SsmError;
use crate::kms::world::PARTITION;

/// The longest fully qualified name (the model's 2,048 leaves room for the ARN prefix).
pub const MAX_NAME: usize = 1011;
/// Hierarchies are at most fifteen levels deep.
pub const MAX_LEVELS: usize = 15;
/// The longest label.
pub const MAX_LABEL: usize = 100;

/// The levels of a name or path: `/a/b/c` has three; a name without `/` has one.
pub fn levels(name: &str) -> usize {
    name.split('/').filter(|s| !s.is_empty()).count()
}

fn allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')
}

/// A name the user may create: allowed characters, fully qualified when hierarchical, not
/// reserved (`aws`/`ssm` prefixes, any case), at most [`MAX_LEVELS`] levels.
pub fn check_new_name(name: &str) -> Result<(), SsmError> {
    check_name(name)?;
    let first = name.trim_start_matches('/').to_ascii_lowercase();
    if first.starts_with("aws") || first.starts_with("ssm") {
        return Err(SsmError::validation(format!(
            "Parameter name `{name}`: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)"
        )));
    }
    Ok(())
}

/// A name that may be looked up: allowed characters, length, fully qualified, depth.
pub fn check_name(name: &str) -> Result<(), SsmError> {
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(SsmError::validation(format!("Parameter name must be 1 to {MAX_NAME} characters long")));
    }
    if let Some(c) = name.chars().find(|c| !allowed_char(*c)) {
        return Err(SsmError::validation(format!(
            "Parameter name `{name}` contains `{c}`: only a-zA-Z0-9_.- and / are allowed"
        )));
    }
    if name.contains('/') && !name.starts_with('/') {
        return Err(SsmError::validation(format!(
            "Parameter name `{name}`: a name in a hierarchy must be fully qualified (begin with /)"
        )));
    }
    if name.ends_with('/') || name.contains("//") {
        return Err(SsmError::validation(format!("Parameter name `{name}` has an empty level")));
    }
    if levels(name) > MAX_LEVELS {
        return Err(SsmError::hierarchy_level(format!(
            "A hierarchy can have a maximum of {MAX_LEVELS} levels; `{name}` has {}",
            levels(name)
        )));
    }
    Ok(())
}

/// A path for GetParametersByPath: begins with `/`, allowed characters, at most 15 levels.
pub fn check_path(path: &str) -> Result<(), SsmError> {
    if !path.starts_with('/') {
        return Err(SsmError::validation(format!("The path `{path}` must begin with /")));
    }
    if let Some(c) = path.chars().find(|c| !allowed_char(*c)) {
        return Err(SsmError::validation(format!(
            "The path `{path}` contains `{c}`: only a-zA-Z0-9_.- and / are allowed"
        )));
    }
    if levels(path) > MAX_LEVELS {
        return Err(SsmError::hierarchy_level(format!(
            "A hierarchy can have a maximum of {MAX_LEVELS} levels"
        )));
    }
    Ok(())
}

/// Whether `label` may be attached: at most 100 characters of letters, digits, `.`, `-`, `_`,
/// not beginning with a digit, `aws` or `ssm` (any case).
pub fn valid_label(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    !label.is_empty()
        && label.chars().count() <= MAX_LABEL
        && label.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !label.starts_with(|c: char| c.is_ascii_digit())
        && !lower.starts_with("aws")
        && !lower.starts_with("ssm")
}

/// What a `name:selector` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Latest,
    Version(i64),
    Label(String),
}

impl Selector {
    /// The `Selector` member of a response (`:3`, `:prod`), when one was given.
    pub fn text(&self) -> Option<String> {
        match self {
            Selector::Latest => None,
            Selector::Version(v) => Some(format!(":{v}")),
            Selector::Label(l) => Some(format!(":{l}")),
        }
    }
}

/// Splits `name:3` / `name:label` (names cannot contain `:`); a selector beginning with a digit
/// is a version.
pub fn split_selector(s: &str) -> Result<(&str, Selector), SsmError> {
    let Some((name, sel)) = s.split_once(':') else {
        return Ok((s, Selector::Latest));
    };
    if sel.is_empty() || sel.contains(':') {
        return Err(SsmError::validation(format!("`{s}` is not a name with one `:version` or `:label`")));
    }
    if sel.starts_with(|c: char| c.is_ascii_digit()) {
        let v = sel
            .parse::<i64>()
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| SsmError::validation(format!("`{sel}` is not a parameter version")))?;
        return Ok((name, Selector::Version(v)));
    }
    Ok((name, Selector::Label(sel.to_string())))
}

/// `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME` (the name without its leading `/`).
pub fn parameter_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:ssm:{region}:{account}:parameter/{}", name.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_arns() {
        assert_eq!(levels("/a/b/c"), 3);
        assert_eq!(levels("flat"), 1);
        assert_eq!(parameter_arn("us-east-1", "1", "/a/b"), "arn:aws:ssm:us-east-1:1:parameter/a/b");
        assert_eq!(parameter_arn("us-east-1", "1", "flat"), "arn:aws:ssm:us-east-1:1:parameter/flat");
    }

    #[test]
    fn selectors() {
        assert_eq!(split_selector("/a:3").unwrap(), ("/a", Selector::Version(3)));
        assert_eq!(split_selector("/a:prod").unwrap(), ("/a", Selector::Label("prod".into())));
        assert_eq!(split_selector("/a").unwrap(), ("/a", Selector::Latest));
        assert!(split_selector("/a:").is_err());
        assert!(split_selector("/a:0").is_err());
    }
}
