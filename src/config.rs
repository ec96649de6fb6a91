//! Credentials from the environment the host grants: the control plane URL and the API key.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{Error, Result};

/// Variables that name the control plane, in order of precedence (spec §13).
pub const BASE_URL_VARIABLES: [&str; 3] = ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST"];
/// Variable that holds the API key.
pub const API_KEY_VARIABLE: &str = "TFY_API_KEY";

/// URL scheme of the control plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http://` (loopback emulators and test setups).
    Http,
    /// `https://` (every real control plane).
    Https,
}

/// The control plane's base URL, split the way wasi:http wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme.
    pub scheme: Scheme,
    /// `host[:port]`.
    pub authority: String,
    /// Path prefix without a trailing `/` (usually empty).
    pub path_prefix: String,
}

impl BaseUrl {
    /// Parses `http(s)://host[:port][/prefix]`, one trailing `/` stripped; `variable` names
    /// the source in errors.
    pub fn parse(variable: &str, text: &str) -> Result<Self> {
        let refuse = |problem: &str| Error::MissingConfiguration {
            variable: variable.to_string(),
            problem: problem.to_string(),
        };
        let text = text.trim();
        let text = text.strip_suffix('/').unwrap_or(text);
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(text, "https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(text, "http://") {
            (Scheme::Http, rest)
        } else {
            return Err(refuse(
                "must start with https:// (for example https://acme.truefoundry.cloud)",
            ));
        };
        let (authority, path_prefix) = match rest.find('/') {
            Some(index) => rest.split_at(index),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(refuse("has no host name after the scheme"));
        }
        let authority_ok = authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !authority_ok {
            return Err(refuse(
                "has a host part with characters other than letters, digits, `.`, `-` and a \
                 `:port` (user names and passwords in the URL are not supported)",
            ));
        }
        let prefix_ok = path_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'));
        if !prefix_ok {
            return Err(refuse(
                "must be a plain URL without query, fragment or special characters",
            ));
        }
        Ok(BaseUrl {
            scheme,
            authority: authority.to_ascii_lowercase(),
            path_prefix: path_prefix.to_string(),
        })
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        write!(f, "{scheme}://{}{}", self.authority, self.path_prefix)
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key itself, for the `Authorization` header and for redaction only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where to send requests, and how to authenticate them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The control plane.
    pub base_url: BaseUrl,
    /// The API key.
    pub api_key: ApiKey,
}

impl Credentials {
    /// Reads the credentials from environment variables. Empty values count as unset.
    pub fn from_env<I, K, V>(variables: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut base_urls: [Option<String>; 3] = [None, None, None];
        let mut api_key = None;
        for (name, value) in variables {
            let (name, value) = (name.as_ref(), value.as_ref());
            if value.trim().is_empty() {
                continue;
            }
            if let Some(rank) = BASE_URL_VARIABLES.iter().position(|known| *known == name) {
                base_urls[rank] = Some(value.to_string());
            } else if name == API_KEY_VARIABLE {
                api_key = Some(value.to_string());
            }
        }
        let base_url = BASE_URL_VARIABLES
            .iter()
            .zip(base_urls)
            .find_map(|(variable, value)| value.map(|value| (variable, value)));
        let Some((variable, base_url)) = base_url else {
            return Err(Error::MissingConfiguration {
                variable: "TFY_BASE_URL".to_string(),
                problem: "is not set (nor TFY_HOST or TFY_API_HOST)".to_string(),
            });
        };
        let base_url = BaseUrl::parse(variable, &base_url)?;
        let Some(api_key) = api_key else {
            return Err(Error::MissingConfiguration {
                variable: API_KEY_VARIABLE.to_string(),
                problem: "is not set".to_string(),
            });
        };
        // A key with spaces or control characters would corrupt the Authorization header.
        if api_key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::MissingConfiguration {
                variable: API_KEY_VARIABLE.to_string(),
                problem: format!(
                    "contains whitespace or control characters ({} characters long; the \
                     value is not shown)",
                    api_key.chars().count()
                ),
            });
        }
        Ok(Credentials {
            base_url,
            api_key: ApiKey(api_key),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing_variable(result: Result<Credentials>) -> String {
        match result {
            Err(Error::MissingConfiguration { variable, .. }) => variable,
            other => panic!("expected missing configuration, got {other:?}"),
        }
    }

    #[test]
    fn base_url_aliases_in_precedence_order() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[
                    ("TFY_BASE_URL", "https://a.example.com/"),
                    ("TFY_HOST", "https://b.example.com"),
                ],
                "https://a.example.com",
            ),
            (
                &[
                    ("TFY_API_HOST", "https://c.example.com"),
                    ("TFY_HOST", "https://b.example.com"),
                ],
                "https://b.example.com",
            ),
            (
                &[("TFY_API_HOST", "https://c.example.com")],
                "https://c.example.com",
            ),
            (
                &[("TFY_BASE_URL", ""), ("TFY_HOST", "https://b.example.com")],
                "https://b.example.com",
            ),
        ];
        for (variables, expected) in cases {
            let mut variables = variables.to_vec();
            variables.push(("TFY_API_KEY", "key"));
            let credentials = Credentials::from_env(variables.iter().copied()).unwrap();
            assert_eq!(credentials.base_url.to_string(), *expected);
        }
    }

    #[test]
    fn missing_variables_are_named() {
        assert_eq!(
            missing_variable(Credentials::from_env([("TFY_API_KEY", "k")])),
            "TFY_BASE_URL"
        );
        assert_eq!(
            missing_variable(Credentials::from_env([("TFY_HOST", "https://x.io")])),
            "TFY_API_KEY"
        );
        assert_eq!(
            missing_variable(Credentials::from_env([
                ("TFY_HOST", "ftp://x.io"),
                ("TFY_API_KEY", "k")
            ])),
            "TFY_HOST"
        );
    }

    #[test]
    fn base_urls_parse_into_parts() {
        let parsed = BaseUrl::parse("TFY_BASE_URL", "HTTP://127.0.0.1:8080").unwrap();
        assert_eq!(
            parsed,
            BaseUrl {
                scheme: Scheme::Http,
                authority: "127.0.0.1:8080".into(),
                path_prefix: String::new()
            }
        );
        let prefixed = BaseUrl::parse("TFY_BASE_URL", "https://tfy.example.com/gateway/").unwrap();
        assert_eq!(prefixed.path_prefix, "/gateway");
        for bad in [
            "acme.truefoundry.cloud",
            "https://",
            "https://user:pw@host",
            "https://host/?q=1",
            "https://ho st",
        ] {
            assert!(BaseUrl::parse("TFY_BASE_URL", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn api_key_never_shows_in_debug_or_errors() {
        let credentials = Credentials::from_env([
            ("TFY_BASE_URL", "https://x.io"),
            ("TFY_API_KEY", "sk-secret-canary"),
        ])
        .unwrap();
        let debug = format!("{credentials:?} {}", credentials.api_key);
        assert!(!debug.contains("sk-secret-canary"), "{debug}");
        let error = Credentials::from_env([
            ("TFY_BASE_URL", "https://x.io"),
            ("TFY_API_KEY", "sk-secret\ncanary"),
        ])
        .unwrap_err();
        assert!(!format!("{error:?} {error}").contains("canary"));
        assert_eq!(missing_variable(Err(error)), "TFY_API_KEY");
    }
}
