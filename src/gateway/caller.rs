//! Per-request credentials: each caller acts with its own key, sent as
//! `Authorization: Bearer <key>`; the control plane is the one the operator configured
//! (`TFY_BASE_URL`). The component holds no key of its own unless the operator opts in with
//! [`SHARED_KEY_OPT_IN`], and then only for callers that send none.

use alloc::format;
use alloc::string::{String, ToString};

use crate::api::credentials::{ApiKey, BaseUrl, Credentials, API_KEY_VARIABLE};
use crate::error::{Error, Result};

/// Set to `true` (or `1`) to let callers without an `Authorization` header act with the
/// operator's `TFY_API_KEY`. Unset, `TFY_API_KEY` is ignored: a gateway that would act for
/// anyone with the operator's key is an open door, so it must be asked for by name.
pub const SHARED_KEY_OPT_IN: &str = "TFY_GATEWAY_ALLOW_SHARED_KEY";

/// What the operator configured, read from the environment the host grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    base_url: Result<BaseUrl>,
    shared_key: Option<ApiKey>,
}

impl Config {
    /// Reads `TFY_BASE_URL` (or its aliases) and, only when [`SHARED_KEY_OPT_IN`] is `true`
    /// or `1`, `TFY_API_KEY`. A missing or malformed URL is reported on each request that
    /// needs the control plane, so the offline routes and `/healthz` keep working.
    pub fn from_env<I, K, V>(variables: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let variables: alloc::vec::Vec<(String, String)> = variables
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
            .collect();
        let value = |name: &str| {
            variables
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.trim())
        };
        let opted_in = matches!(value(SHARED_KEY_OPT_IN), Some("true" | "1"));
        Config {
            base_url: BaseUrl::from_env(variables.iter().map(|(k, v)| (k, v))),
            shared_key: value(API_KEY_VARIABLE)
                .filter(|_| opted_in)
                .and_then(ApiKey::parse),
        }
    }

    /// The credentials for a request whose `Authorization` header is `authorization`.
    pub fn credentials(&self, authorization: Option<&[u8]>) -> Result<Credentials> {
        let base_url = self.base_url.clone()?;
        let api_key = match authorization {
            Some(value) => bearer(value)?,
            None => self.shared_key.clone().ok_or_else(|| {
                unauthorized("the request has no `Authorization: Bearer <API key>` header")
            })?,
        };
        Ok(Credentials { base_url, api_key })
    }
}

/// The key of an `Authorization: Bearer <key>` value (scheme case-insensitive). The value
/// itself is never quoted back: it may be a key sent with the wrong scheme.
fn bearer(value: &[u8]) -> Result<ApiKey> {
    let refused = || {
        unauthorized(&format!(
            "the Authorization header ({} bytes; not shown) is not `Bearer <API key>`",
            value.len()
        ))
    };
    let text = core::str::from_utf8(value).map_err(|_| refused())?;
    let (scheme, key) = text.trim().split_once(' ').ok_or_else(refused)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(refused());
    }
    ApiKey::parse(key.trim_start()).ok_or_else(refused)
}

/// A 401 of the gateway's own (no request was sent), shaped as the control plane's.
fn unauthorized(message: &str) -> Error {
    Error::Unauthorized {
        status: 401,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: (&str, &str) = ("TFY_BASE_URL", "https://tfy.example.com");

    #[test]
    fn the_callers_bearer_key_is_used() {
        let config = Config::from_env([URL]);
        for header in ["Bearer sk-caller", "bearer sk-caller", "BEARER   sk-caller"] {
            let credentials = config.credentials(Some(header.as_bytes())).unwrap();
            assert_eq!(credentials.api_key.expose(), "sk-caller", "{header}");
            assert_eq!(credentials.base_url.to_string(), "https://tfy.example.com");
        }
    }

    #[test]
    fn malformed_or_missing_authorization_is_refused_without_echoing_it() {
        let config = Config::from_env([URL]);
        for header in [
            "Basic sk-canary-123",
            "sk-canary-123",
            "Bearer",
            "Bearer ",
            "Bearer sk-canary 123",
        ] {
            let error = config.credentials(Some(header.as_bytes())).unwrap_err();
            let text = format!("{error:?} {error}");
            assert!(
                matches!(error, Error::Unauthorized { status: 401, .. }),
                "{text}"
            );
            assert!(!text.contains("canary"), "{text}");
        }
        assert!(matches!(
            config.credentials(Some(b"Bearer \xff")),
            Err(Error::Unauthorized { status: 401, .. })
        ));
        assert_eq!(
            config.credentials(None),
            Err(unauthorized(
                "the request has no `Authorization: Bearer <API key>` header"
            ))
        );
    }

    #[test]
    fn the_operators_key_is_used_only_when_opted_in_and_only_without_a_header() {
        let key = ("TFY_API_KEY", "sk-operator");
        assert!(Config::from_env([URL, key]).credentials(None).is_err());
        assert!(Config::from_env([URL, key, (SHARED_KEY_OPT_IN, "no")])
            .credentials(None)
            .is_err());
        for yes in ["true", "1"] {
            let config = Config::from_env([URL, key, (SHARED_KEY_OPT_IN, yes)]);
            let shared = config.credentials(None).unwrap();
            assert_eq!(shared.api_key.expose(), "sk-operator");
            let own = config.credentials(Some(b"Bearer sk-caller")).unwrap();
            assert_eq!(own.api_key.expose(), "sk-caller");
        }
    }

    #[test]
    fn a_missing_control_plane_is_missing_configuration() {
        let config = Config::from_env([("TFY_API_KEY", "k")]);
        assert!(matches!(
            config.credentials(Some(b"Bearer k")),
            Err(Error::MissingConfiguration { variable, .. }) if variable == "TFY_BASE_URL"
        ));
    }
}
