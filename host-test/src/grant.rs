//! What the host grants the component: the control plane's URL and the API key, as the two
//! environment variables the component reads, and nothing else.

use std::fmt;

use crate::allowlist::Origin;

/// The control plane and the key to reach it. `Debug` hides the key.
#[derive(Clone)]
pub struct Grant {
    /// `http(s)://host[:port]`.
    pub base_url: String,
    /// The API key.
    pub api_key: String,
}

impl Grant {
    /// A grant for `base_url` with `api_key`.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        Grant {
            base_url: base_url.into(),
            api_key: api_key.into(),
        }
    }

    /// The environment the component sees: exactly these two variables.
    pub fn environment(&self) -> [(&'static str, &str); 2] {
        [
            ("TFY_BASE_URL", self.base_url.as_str()),
            ("TFY_API_KEY", self.api_key.as_str()),
        ]
    }

    /// The one origin outbound requests may go to; `None` when the URL is not http(s).
    pub fn origin(&self) -> Option<Origin> {
        Origin::of_url(&self.base_url)
    }
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let grant = Grant::new("https://x.io", "sk-canary");
        assert!(!format!("{grant:?}").contains("sk-canary"));
        assert_eq!(grant.environment()[1], ("TFY_API_KEY", "sk-canary"));
    }
}
