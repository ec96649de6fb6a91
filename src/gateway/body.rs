//! Request bodies: the cap, the media type, and JSON decoding into the core's request types
//! that names the field it failed on (`size-gi`, `browser.host`), as `invalid-input` does.

use alloc::format;
use alloc::string::{String, ToString};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::problem::Problem;
use super::Request;
use crate::error::Error;

/// Largest request body accepted, in bytes (64 KiB): every request this API takes is a
/// small JSON object; larger bodies get 413 without being read further.
pub const MAX_REQUEST_BODY_BYTES: usize = 64 * 1024;

/// What to do after a malformed body.
const FIX: &str = "Send a JSON object in the shape `GET /openapi.json` gives for this route; \
     field names are kebab-case (`size-gi`), enums lowercase (`dynamic`), and absent optional \
     fields may be left out or null.";

/// The request's JSON body, or `None` when it has none. Refuses a body over the cap (413),
/// one that is not JSON by its `Content-Type` (415), and one that does not parse (400,
/// `invalid-input` naming `body`).
pub fn json(request: &Request) -> Result<Option<Value>, Problem> {
    let declared = request
        .header("content-length")
        .and_then(|value| core::str::from_utf8(value).ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let over = |length: u64| length > MAX_REQUEST_BODY_BYTES as u64;
    if declared.is_some_and(over) || over(request.body.len() as u64) {
        return Err(Problem::too_large(MAX_REQUEST_BODY_BYTES));
    }
    let content_type = request
        .header("content-type")
        .map(|value| String::from_utf8_lossy(value).into_owned());
    if request.body.is_empty() {
        return Ok(None);
    }
    if !content_type.as_deref().is_some_and(is_json) {
        return Err(Problem::unsupported_media_type(content_type.as_deref()));
    }
    serde_json::from_slice(&request.body)
        .map(Some)
        .map_err(|error| {
            Problem::from(Error::invalid(
                "body",
                format!("is not valid JSON: {error}"),
                FIX,
            ))
        })
}

/// `application/json`, or any `application/…+json`, with any parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The body as a `T`; a mismatch is `invalid-input` naming the field (`browser.host`, or
/// `body` for the whole).
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        // serde names a missing or unknown field in its message, at the path of the object
        // that holds it.
        let named = ["missing field `", "unknown field `"]
            .iter()
            .find_map(|prefix| message.strip_prefix(prefix))
            .and_then(|rest| rest.split('`').next());
        let field = match (path.as_str(), named) {
            (".", Some(name)) => name.to_string(),
            (".", None) => "body".to_string(),
            (path, Some(name)) if !message.starts_with("unknown") => format!("{path}.{name}"),
            (path, _) => path.to_string(),
        };
        Error::invalid(&field, message, FIX)
    })
}

/// The body as an object (`{}` when there is none), for routes that add a path parameter
/// to it.
pub fn object(value: Option<Value>) -> Result<serde_json::Map<String, Value>, Error> {
    match value {
        None => Ok(serde_json::Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(Error::invalid(
            "body",
            format!("is {}, not a JSON object", kind(&other)),
            FIX,
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CreateRequest, MountRequest};
    use alloc::vec;
    use serde_json::json;

    fn request(content_type: Option<&str>, body: &[u8]) -> Request {
        Request {
            method: "POST".into(),
            path_with_query: "/plan".into(),
            headers: content_type
                .map(|value| vec![("Content-Type".into(), value.as_bytes().to_vec())])
                .unwrap_or_default(),
            body: body.to_vec(),
        }
    }

    fn field(error: Error) -> (String, String) {
        match error {
            Error::InvalidInput { field, problem, .. } => (field, problem),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_media_types_are_accepted_with_parameters() {
        for content_type in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert_eq!(
                json(&request(Some(content_type), b"{}")).unwrap(),
                Some(json!({})),
                "{content_type}"
            );
        }
        assert_eq!(json(&request(None, b"")).unwrap(), None);
    }

    #[test]
    fn other_media_types_get_415_and_big_bodies_413() {
        for content_type in [None, Some("text/plain"), Some("application/jsonx")] {
            let problem = json(&request(content_type, b"{}")).unwrap_err();
            assert_eq!(problem.status(), 415, "{content_type:?}");
        }
        let big = vec![b' '; MAX_REQUEST_BODY_BYTES + 1];
        assert_eq!(
            json(&request(Some("application/json"), &big))
                .unwrap_err()
                .status(),
            413
        );
        let mut declared = request(Some("application/json"), b"{}");
        declared
            .headers
            .push(("content-length".into(), b"10000000".to_vec()));
        assert_eq!(json(&declared).unwrap_err().status(), 413);
    }

    #[test]
    fn malformed_json_is_invalid_input_naming_the_body() {
        let problem = json(&request(Some("application/json"), b"{\"name\": ")).unwrap_err();
        assert_eq!(problem.status(), 400);
        let body: Value = serde_json::from_slice(&problem.into_response().body).unwrap();
        assert_eq!(body["case"], "invalid-input");
        assert_eq!(body["fields"]["field"], "body");
        assert!(body["fields"]["problem"]
            .as_str()
            .unwrap()
            .starts_with("is not valid JSON: EOF while parsing"));
    }

    #[test]
    fn decoding_names_the_failing_field() {
        let base = json!({"workspace-fqn": "c1:ws1", "name": "data", "kind": "dynamic",
                          "size-gi": 10, "storage-class": "efs-sc"});
        assert!(decode::<CreateRequest>(base.clone()).is_ok());
        let cases = [
            (
                json!({"size-gi": "ten"}),
                "size-gi",
                "invalid type: string \"ten\"",
            ),
            (json!({"kind": "huge"}), "kind", "unknown variant `huge`"),
            (json!({"size_gi": 3}), "size_gi", "unknown field `size_gi`"),
            (
                json!({"browser": {"host": 7}}),
                "browser.host",
                "invalid type: integer `7`",
            ),
            (
                json!({"browser": {}}),
                "browser.host",
                "missing field `host`",
            ),
        ];
        for (patch, expected, starts) in cases {
            let mut value = base.clone();
            for (key, item) in patch.as_object().unwrap() {
                value[key] = item.clone();
            }
            let (field, problem) = field(decode::<CreateRequest>(value).unwrap_err());
            assert_eq!(field, expected, "{problem}");
            assert!(problem.starts_with(starts), "{problem}");
        }
        let (field_name, _) =
            field(decode::<MountRequest>(json!({"mount-path": "/d"})).unwrap_err());
        assert_eq!(field_name, "volume-fqn");
    }

    #[test]
    fn only_objects_take_path_parameters() {
        assert_eq!(object(None).unwrap(), serde_json::Map::new());
        let (name, problem) = field(object(Some(json!([]))).unwrap_err());
        assert_eq!(
            (name.as_str(), problem.as_str()),
            ("body", "is an array, not a JSON object")
        );
    }
}
