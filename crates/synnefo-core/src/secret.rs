//! The authentication token as a secret type.
//!
//! A [`Token`] never shows its value through `Debug` or `Display`; the only
//! way to read it is [`Token::expose`], which the transport calls when it
//! writes the `X-Auth-Token` header (marked sensitive) and when it redacts
//! text that might echo it back.

use std::fmt;
use std::sync::Arc;

/// The placeholder printed instead of a token's value.
pub const REDACTED: &str = "***";

/// A Synnefo user or service token.
///
/// Cheap to clone (the value is shared). `Debug` prints `Token(***)` and
/// `Display` prints `***`, so a token can be logged or put in an error by
/// mistake without leaking.
///
/// ```
/// use synnefo_core::Token;
/// let token = Token::new("s3cr3t");
/// assert_eq!(format!("{token:?}"), "Token(***)");
/// assert_eq!(token.to_string(), "***");
/// assert_eq!(token.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    /// Wraps a token value. Surrounding whitespace is removed, as a token
    /// pasted from a file or a terminal often carries a trailing newline.
    pub fn new(value: impl AsRef<str>) -> Self {
        Token(Arc::from(value.as_ref().trim()))
    }

    /// The token's value, for the places that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the token is empty (an empty token authenticates nobody).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Replaces every occurrence of this token in `text` with [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        redact_secret(text, self.expose())
    }
}

/// Replaces every occurrence of `secret` in `text` with [`REDACTED`]; an
/// empty secret leaves the text as it is.
pub(crate) fn redact_secret(text: &str, secret: &str) -> String {
    if secret.is_empty() || !text.contains(secret) {
        return text.to_owned();
    }
    text.replace(secret, REDACTED)
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({REDACTED})")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Tokens arrive in JSON (the `access.token.id` of an authentication
/// answer); they deserialise straight into the secret type. There is no
/// `Serialize`: writing a token out must be a deliberate [`Token::expose`].
impl<'de> serde::Deserialize<'de> for Token {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Token::new)
    }
}

impl From<&str> for Token {
    fn from(value: &str) -> Self {
        Token::new(value)
    }
}

impl From<String> for Token {
    fn from(value: String) -> Self {
        Token::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let token = Token::new("  abc-DEF_123\n");
        assert_eq!(token.expose(), "abc-DEF_123");
        assert!(!format!("{token:?}").contains("abc"));
        assert!(!format!("{token}").contains("abc"));
        assert!(!format!("{:#?}", Some(&token)).contains("abc"));
    }

    #[test]
    fn redact_replaces_every_occurrence() {
        let token = Token::new("tok");
        assert_eq!(token.redact("a tok b tok"), "a *** b ***");
        assert_eq!(Token::new("").redact("text"), "text");
    }
}
