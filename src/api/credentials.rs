//! Credentials from the environment the host grants: the control plane URL and the API key.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{Error, Result};

/// Variables that name the control plane, in order of precedence (docs/truefoundry-api.md §13).
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
        // Every trailing `/`: the prefix is joined to paths that start with one.
        let text = text.trim_end_matches('/');
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
        if !authority_ok(authority) {
            return Err(refuse(
                "must name a host (letters, digits, `.`, `-`, or an IPv6 address in brackets) \
                 and optionally a port from 1 to 65535; user names and passwords in the URL \
                 are not supported",
            ));
        }
        let prefix_ok = path_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'))
            && !path_prefix.contains("//");
        if !prefix_ok {
            return Err(refuse(
                "must be a plain URL without query, fragment, empty path segments or special \
                 characters",
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

/// `host[:port]`: a name or IPv4 address of letters, digits, `.` and `-`, or an IPv6
/// address in brackets; the port, when given, 1 to 65535.
fn authority_ok(authority: &str) -> bool {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        let ipv6_ok = !inside.is_empty()
            && inside.contains(':')
            && inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
        if !ipv6_ok {
            return false;
        }
        match after {
            "" => return true,
            _ => match after.strip_prefix(':') {
                Some(port) => ("ok", Some(port)),
                None => return false,
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let port_ok = port.is_none_or(|port| {
        !port.is_empty()
            && port.len() <= 5
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
    });
    host_ok && port_ok
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

impl BaseUrl {
    /// The control plane named by environment variables: the first of
    /// [`BASE_URL_VARIABLES`] that is set and not empty.
    pub fn from_env<I, K, V>(variables: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut base_urls: [Option<String>; 3] = [None, None, None];
        for (name, value) in variables {
            let (name, value) = (name.as_ref(), value.as_ref());
            if value.trim().is_empty() {
                continue;
            }
            if let Some(rank) = BASE_URL_VARIABLES.iter().position(|known| *known == name) {
                base_urls[rank] = Some(value.to_string());
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
        BaseUrl::parse(variable, &base_url)
    }
}

impl ApiKey {
    /// `text` as a key, or `None` when it is empty or holds whitespace or control
    /// characters, which would corrupt the `Authorization` header.
    pub fn parse(text: &str) -> Option<Self> {
        let usable = !text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        usable.then(|| ApiKey(text.to_string()))
    }
}

impl Credentials {
    /// Reads the credentials from environment variables. Empty values count as unset.
    pub fn from_env<I, K, V>(variables: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let variables: alloc::vec::Vec<(K, V)> = variables.into_iter().collect();
        let base_url = BaseUrl::from_env(variables.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))?;
        let api_key = variables
            .iter()
            .filter(|(name, value)| {
                name.as_ref() == API_KEY_VARIABLE && !value.as_ref().trim().is_empty()
            })
            .map(|(_, value)| value.as_ref())
            .last();
        let Some(api_key) = api_key else {
            return Err(Error::MissingConfiguration {
                variable: API_KEY_VARIABLE.to_string(),
                problem: "is not set".to_string(),
            });
        };
        let Some(api_key) = ApiKey::parse(api_key) else {
            return Err(Error::MissingConfiguration {
                variable: API_KEY_VARIABLE.to_string(),
                problem: format!(
                    "contains whitespace or control characters ({} characters long; the \
                     value is not shown)",
                    api_key.chars().count()
                ),
            });
        };
        Ok(Credentials { base_url, api_key })
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

    // Found by fuzz/fuzz_targets/validators.rs; input: fuzz/regressions/validators/base-url-authority.
    // `BaseUrl::authority` is documented as `host[:port]`, but any mix of letters, digits, `.`,
    // `-`, `:`, `[` and `]` was accepted: an empty host, a non-numeric port, several colons,
    // an unclosed bracket. Such a URL fails later as a `transport` error instead of now as
    // `missing-configuration` with its fix.
    #[test]
    fn base_url_authority_is_a_host_and_an_optional_port() {
        for bad in [
            "https://acme.truefoundry.c1:ws1cloud/",
            "https://:80",
            "https://a:b",
            "https://a:1:2",
            "https://[",
            "https://host:",
        ] {
            assert!(
                matches!(
                    BaseUrl::parse("TFY_BASE_URL", bad),
                    Err(Error::MissingConfiguration { .. })
                ),
                "{bad} should be refused"
            );
        }
        for good in [
            "https://acme.truefoundry.cloud",
            "http://127.0.0.1:8080",
            "http://[::1]:8787",
            "https://tfy.example.com/gateway",
        ] {
            assert!(
                BaseUrl::parse("TFY_BASE_URL", good).is_ok(),
                "{good} should be accepted"
            );
        }
    }

    // Found by fuzz/fuzz_targets/validators.rs; input:
    // fuzz/regressions/validators/base-url-trailing-slashes.
    // Only one trailing `/` is stripped, so `https://host//` keeps the path prefix `/`, which the
    // field's doc says never ends with `/`; requests then go to `//api/svc/v1/...`, and the
    // URL's `Display` does not parse back to the same value.
    #[test]
    fn base_url_path_prefix_never_ends_with_a_slash() {
        for text in [
            "HTTPS://1//",
            "https://tfy.example.com//",
            "https://tfy.example.com/gateway//",
        ] {
            if let Ok(url) = BaseUrl::parse("TFY_BASE_URL", text) {
                assert!(
                    !url.path_prefix.ends_with('/'),
                    "{text}: prefix {:?}",
                    url.path_prefix
                );
                assert_eq!(
                    BaseUrl::parse("TFY_BASE_URL", &url.to_string()),
                    Ok(url.clone()),
                    "{text} does not round-trip"
                );
            }
        }
    }
}
