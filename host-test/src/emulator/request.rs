//! The record of one received request, and percent-decoding of its query string.

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

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
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

/// Splits a raw query string (`a=1&b=x%20y`) into decoded pairs. A parameter without `=` gets
/// an empty value; empty pieces (`a=1&&b=2`) are skipped.
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+`. A malformed escape is kept literally, and invalid UTF-8 is
/// replaced, so no query string can make a request fail here.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                // Both digits checked first: from_str_radix alone would accept "+1".
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(byte) = hex {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
