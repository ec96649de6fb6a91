//! Each route's work: decode its body into the core's request type, add the path's
//! workspace or volume, call the offline core or the [`Client`] (with the caller's
//! credentials), and render the result as JSON.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::Value;

use super::body::{self, decode};
use super::caller::Config;
use super::openapi;
use super::problem::Problem;
use super::routes::{Operation, Route};
use super::{Request, Response};
use crate::api::http::{percent_encode, Transport};
use crate::client::{Client, Clock};
use crate::error::Error;
use crate::model::{CreateRequest, ExpandRequest, WaitOptions};
use crate::offline::{advice, cache_volume, interview, plan, snippet, static_volume};
use crate::vocabulary::{self, Surface};

/// Longest wait, in seconds, a request may ask for (and what it gets when it gives none):
/// a gateway holds a connection and an instance for as long as a request runs, so waiting
/// is bounded well below the core's hour. Longer deployments: wait again, or poll `status`.
pub const MAX_WAIT_SECONDS: u32 = 60;

/// Runs `route` for `request`.
pub(super) fn run<T: Transport, C: Clock>(
    route: &Route,
    parameter: Option<String>,
    request: &Request,
    config: &Config,
    transport: T,
    clock: C,
) -> Result<Response, Problem> {
    let parameter = parameter.unwrap_or_default();
    let client = |transport: T, clock: C| -> Result<Client<T, C>, Problem> {
        let credentials = config.credentials(request.header("authorization"))?;
        Ok(Client::new(credentials, transport, clock))
    };
    match route.operation {
        Operation::Health => {
            let health = HealthReport {
                status: "ok",
                version: env!("CARGO_PKG_VERSION"),
            };
            ok(&health)
        }
        Operation::OpenApi => Ok(json_response(200, openapi::DOCUMENT.as_bytes().to_vec())),
        Operation::Plan => worded(&plan::plan(&typed(request)?)?),
        Operation::MountSnippet => worded(&snippet::render(&typed(request)?)?),
        Operation::Sizing => worded(&advice::recommend_size(&typed(request)?)?),
        Operation::StorageAdvice => worded(&advice::recommend_storage(&typed(request)?)?),
        Operation::StaticVolumeRecipe => worded(&static_volume::recipe(&typed(request)?)?),
        Operation::CacheVolumeSnippet => worded(&cache_volume::render(&typed(request)?)?),
        Operation::Preflight => {
            let create: CreateRequest = typed(request)?;
            worded(&client(transport, clock)?.preflight(&create)?)
        }
        Operation::Interview => {
            let body: InterviewBody = typed(request)?;
            let authorization = request.header("authorization");
            let step = match config.credentials(authorization) {
                Ok(credentials) => Client::new(credentials, transport, clock)
                    .interview(&body.answers, Surface::Gateway)?,
                // Without a key (or a control plane) the interview still asks its questions
                // and checks the answers offline, as the component does without credentials;
                // a key that is there but malformed is refused like on every route.
                Err(error) => {
                    let reason = match (&error, authorization) {
                        (Error::MissingConfiguration { .. }, _) => error.to_string(),
                        (_, None) => String::from(
                            "the request has no `Authorization: Bearer <API key>` header",
                        ),
                        (_, Some(_)) => return Err(error.into()),
                    };
                    interview::next(
                        &interview::Answers::new(&body.answers),
                        &interview::Facts::offline(reason),
                        Surface::Gateway,
                    )
                }
            };
            worded(&step)
        }
        Operation::ListVolumes => ok(&client(transport, clock)?.list(&parameter)?),
        Operation::GetVolume => ok(&client(transport, clock)?.get(&parameter)?),
        Operation::VolumeStatus => ok(&client(transport, clock)?.status(&parameter)?),
        Operation::StorageClasses => {
            worded(&client(transport, clock)?.storage_classes(&parameter)?)
        }
        Operation::CreateVolume => {
            let body = with_parameter(request, "workspace-fqn", parameter)?;
            let mut create: CreateRequest = decode(body)?;
            create.wait = bounded(create.wait, "wait.timeout-seconds")?;
            let volume = client(transport, clock)?.create(&create)?;
            let mut response = serialized(201, &volume)?;
            let location = format!("/volumes/{}", percent_encode(&volume.id));
            response.headers.push(("location", location));
            Ok(response)
        }
        Operation::WaitForVolume => {
            let options: WaitOptions = decode(Value::Object(body::object(body::json(request)?)?))?;
            let options = bounded(Some(options), "timeout-seconds")?;
            let volume = client(transport, clock)?
                .wait(&parameter, options)
                // The core names the options as it nests them in other requests.
                .map_err(|error| unnest(error, "wait."))?;
            ok(&volume)
        }
        Operation::DeleteVolume => {
            let confirm_name = match request.query("confirm-name") {
                Some(Ok(name)) => name,
                Some(Err(())) => {
                    return Err(Error::invalid(
                        "confirm-name",
                        "is not valid percent-encoded UTF-8",
                        "Repeat the volume's name, for example `?confirm-name=training-data`.",
                    )
                    .into())
                }
                // The core names the missing confirmation and how to give it.
                None => String::new(),
            };
            ok(&client(transport, clock)?.delete(&parameter, &confirm_name)?)
        }
        Operation::ExpandVolume => {
            let body = with_parameter(request, "volume", parameter)?;
            let mut expand: ExpandRequest = decode(body)?;
            expand.wait = bounded(expand.wait, "wait.timeout-seconds")?;
            ok(&client(transport, clock)?.expand(&expand)?)
        }
    }
}

/// What `POST /interview` takes: the answers so far (none at first).
#[derive(serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct InterviewBody {
    #[serde(default)]
    answers: Vec<interview::Answer>,
}

/// What `GET /healthz` answers.
#[derive(Serialize)]
struct HealthReport {
    status: &'static str,
    version: &'static str,
}

/// The body object as a `T`; a missing body decodes as `{}`, so the error names the first
/// required field. (An array would otherwise fill a struct's fields in order.)
fn typed<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, Problem> {
    let object = body::object(body::json(request)?)?;
    Ok(decode(Value::Object(object))?)
}

/// The body object with `name` set to the path's `value`; the body may repeat the same
/// value but not name another one.
fn with_parameter(request: &Request, name: &str, value: String) -> Result<Value, Problem> {
    let mut object = body::object(body::json(request)?)?;
    match object.get(name) {
        None | Some(Value::Null) => {}
        Some(Value::String(given)) if *given == value => {}
        Some(_) => {
            return Err(Error::invalid(
                name,
                format!("differs from `{value}` in the path"),
                "Leave it out of the body: the path names it.",
            )
            .into())
        }
    }
    object.insert(name.to_string(), Value::String(value));
    Ok(Value::Object(object))
}

/// `options` with the timeout filled and held to [`MAX_WAIT_SECONDS`].
fn bounded(options: Option<WaitOptions>, field: &str) -> Result<Option<WaitOptions>, Error> {
    let Some(options) = options else {
        return Ok(None);
    };
    let timeout = options.timeout_seconds.unwrap_or(MAX_WAIT_SECONDS);
    if timeout > MAX_WAIT_SECONDS {
        return Err(Error::invalid(
            field,
            format!("{timeout} is above this gateway's {MAX_WAIT_SECONDS} s"),
            "Wait at most 60 seconds per request; to follow a longer deployment, wait again \
             or poll `GET /volumes/{volume}/status`.",
        ));
    }
    Ok(Some(WaitOptions {
        timeout_seconds: Some(timeout),
        ..options
    }))
}

/// An `invalid-input` error's field without `prefix`.
fn unnest(error: Error, prefix: &str) -> Error {
    match error {
        Error::InvalidInput {
            field,
            problem,
            fix,
        } => Error::InvalidInput {
            field: field.strip_prefix(prefix).unwrap_or(&field).to_string(),
            problem,
            fix,
        },
        other => other,
    }
}

/// A result whose texts the core wrote (plans, advice, recipes, notes), every string in the
/// gateway's words: routes and body fields where the core names functions. Volumes carry
/// only the control plane's data and go out as they are.
fn worded<V: Serialize>(value: &V) -> Result<Response, Problem> {
    fn translate(value: &mut Value) {
        match value {
            Value::String(text)
                if text.contains('`')
                    || text.contains(vocabulary::plan_closing(Surface::Interface)) =>
            {
                *text = vocabulary::translate(text, Surface::Gateway)
            }
            Value::Array(items) => items.iter_mut().for_each(translate),
            Value::Object(map) => map.values_mut().for_each(translate),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(value).map_err(|error| {
        Problem::from(Error::Transport {
            message: format!("the gateway could not render its answer: {error}"),
        })
    })?;
    translate(&mut value);
    serialized(200, &value)
}

fn ok<V: Serialize>(value: &V) -> Result<Response, Problem> {
    serialized(200, value)
}

fn serialized<V: Serialize>(status: u16, value: &V) -> Result<Response, Problem> {
    let body = serde_json::to_vec(value).map_err(|error| {
        Problem::from(Error::Transport {
            message: format!("the gateway could not render its answer: {error}"),
        })
    })?;
    Ok(json_response(status, body))
}

fn json_response(status: u16, body: Vec<u8>) -> Response {
    Response {
        status,
        headers: alloc::vec![
            ("content-type", "application/json".to_string()),
            // Answers depend on the caller's key: no shared cache may keep them.
            ("cache-control", "no-store".to_string()),
        ],
        body,
    }
}
