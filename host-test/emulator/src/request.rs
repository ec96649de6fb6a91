//! The record of one received request, and the decoding of its query string.

/// One request as the emulator received it (recorded before it is answered, faulted or not).
/// Its `Debug` output redacts the `Authorization` header; the fields keep it for assertions.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `PUT`.
    pub method: String,
    /// Path without the query string, e.g. `/api/svc/v1/apps`.
    pub path: String,
    /// Query parameters in order, names and values percent-decoded (`+` decodes to a space).
    pub query: Vec<(String, String)>,
    /// Headers in order, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The raw request body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How the body was delimited on the wire, from the `Transfer-Encoding` and
    /// `Content-Length` headers as received (the server refuses a request whose headers
    /// contradict each other before it is recorded).
    pub fn body_framing(&self) -> BodyFraming {
        let chunked = self
            .headers
            .iter()
            .filter(|(name, _)| name == "transfer-encoding")
            .flat_map(|(_, value)| value.split(','))
            .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"));
        if chunked {
            return BodyFraming::Chunked;
        }
        match self.header("content-length").map(str::trim) {
            Some(length) => match length.parse() {
                Ok(length) => BodyFraming::ContentLength(length),
                Err(_) => BodyFraming::Unreadable(length.to_string()),
            },
            None => BodyFraming::None,
        }
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// How a request's body was delimited (RFC 9112 §6): what a proxy in front of a control plane
/// sees, and some refuse chunked bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyFraming {
    /// Neither header: the request has no body.
    None,
    /// `Content-Length` with this value.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// A `Content-Length` that is not a number, as received.
    Unreadable(String),
}

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("authorization") {
                    "<redacted>"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// Splits a raw query string (`a=1&b=x%20y`) into decoded pairs, as
/// `application/x-www-form-urlencoded` (`+` is a space). A parameter without `=` gets an empty
/// value, empty pieces (`a=1&&b=2`) are skipped, a malformed escape is kept literally and invalid
/// UTF-8 is replaced, so no query string can make a request fail here.
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_authorization_header() {
        let req = RecordedRequest {
            method: "GET".to_string(),
            path: "/".to_string(),
            query: Vec::new(),
            headers: vec![("authorization".to_string(), "Bearer s3cret".to_string())],
            body: Vec::new(),
        };
        let shown = format!("{req:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("<redacted>"),
            "{shown}"
        );
    }

    #[test]
    fn decodes_queries() {
        assert_eq!(
            parse_query("workspaceFqn=c1%3Aws1&q=a+b&flag&&x=%zz%4&y=%+1"),
            vec![
                ("workspaceFqn".to_string(), "c1:ws1".to_string()),
                ("q".to_string(), "a b".to_string()),
                ("flag".to_string(), String::new()),
                ("x".to_string(), "%zz%4".to_string()),
                ("y".to_string(), "% 1".to_string()),
            ]
        );
    }
}
