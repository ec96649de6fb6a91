//! The tests' tools: a tiny HTTP/1.1 client on `std::net::TcpStream`, calls with a key, the
//! seeded world, and manifests.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::{json, Value};
use truefoundry_emulator::{Access, Emulator, Seed, SeedCluster, SeedKey, SeedWorkspace};

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client.

/// One HTTP response as read off the wire.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The `Content-Length` the server announced, if any.
    pub declared: Option<usize>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Writes one request (always with `Content-Length`).
pub fn write_request(
    stream: &mut TcpStream,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: emulator\r\nContent-Length: {}\r\n",
        body.len()
    );
    if close {
        head.push_str("Connection: close\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

/// Reads status line, headers, and the body by `Content-Length` (stopping early at EOF, so a
/// truncated body shows as `body.len() < declared`) or until the connection closes.
pub fn read_response(reader: &mut BufReader<TcpStream>) -> io::Result<Resp> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed before a status line",
        ));
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, line.clone()))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let declared = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match declared {
        Some(n) => reader.by_ref().take(n as u64).read_to_end(&mut body)?,
        None => reader.read_to_end(&mut body)?,
    };
    Ok(Resp {
        status,
        headers,
        body,
        declared,
    })
}

/// One request on a fresh connection.
pub fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> io::Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(timeout))?;
    write_request(&mut stream, method, target, headers, body, true)?;
    read_response(&mut BufReader::new(stream))
}

pub const ADMIN: &str = "admin-key";
pub const READ_ONLY: &str = "read-only-key";
pub const TEAM: &str = "team-key";

/// A request with `key` as bearer token (or no Authorization header) that must complete.
pub fn call(
    emu: &Emulator,
    method: &str,
    target: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Resp {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let resp = send(
        emu.addr(),
        method,
        target,
        &headers,
        &body,
        Duration::from_secs(20),
    )
    .unwrap_or_else(|e| panic!("{method} {target}: {e}"));
    assert_eq!(
        Some(resp.body.len()),
        resp.declared,
        "{method} {target}: body shorter than Content-Length"
    );
    resp
}

pub fn get(emu: &Emulator, target: &str) -> Resp {
    call(emu, "GET", target, Some(ADMIN), None)
}

pub fn put(emu: &Emulator, body: &Value) -> Resp {
    call(emu, "PUT", "/api/svc/v1/apps", Some(ADMIN), Some(body))
}

/// `DELETE /api/svc/v1/apps/{id}` with the admin key.
pub fn delete(emu: &Emulator, id: &str) -> Resp {
    call(
        emu,
        "DELETE",
        &format!("/api/svc/v1/apps/{id}"),
        Some(ADMIN),
        None,
    )
}

/// PUT that must succeed; returns the Deployment (`data`).
pub fn create(emu: &Emulator, workspace_id: &str, manifest: Value) -> Value {
    let resp = put(
        emu,
        &json!({"manifest": manifest, "workspaceId": workspace_id}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["data"].clone()
}

pub fn get_app(emu: &Emulator, id: &str) -> Value {
    let resp = get(emu, &format!("/api/svc/v1/apps/{id}"));
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["data"].clone()
}

/// Asserts a `{statusCode, message}` error and returns the message.
pub fn error_message(resp: &Resp, status: u16) -> String {
    assert_eq!(resp.status, status, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["statusCode"], json!(status), "{body}");
    body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {body}"))
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Seeds and manifests.

/// Tenant `acme`, cluster `c1` (storage classes efs-sc and gp3, PV `pv-1`, default class
/// efs-sc), cluster `c2` (nothing declared), workspaces `c1:ws1` (ws-1), `c1:ws2` (ws-2) and
/// `c2:ws3` (ws-3); admin, read-only and ws1-only keys; no volumes.
pub fn world(reads_until_ready: u32) -> Seed {
    let key = |token: &str, access: Access| SeedKey {
        token: token.to_string(),
        access,
    };
    let ws = |fqn: &str, id: &str| SeedWorkspace {
        fqn: fqn.to_string(),
        id: id.to_string(),
    };
    Seed {
        tenant_name: "acme".to_string(),
        api_keys: vec![
            key(ADMIN, Access::Admin),
            key(READ_ONLY, Access::ReadOnly),
            key(TEAM, Access::Workspaces(vec!["c1:ws1".to_string()])),
        ],
        clusters: vec![
            SeedCluster {
                id: "c1".to_string(),
                cluster_type: "aws-eks".to_string(),
                base_domains: vec!["*.ml.acme.com".to_string(), "acme.com".to_string()],
                default_storage_class: Some("efs-sc".to_string()),
                storage_classes: vec!["efs-sc".to_string(), "gp3".to_string()],
                persistent_volumes: vec!["pv-1".to_string()],
            },
            SeedCluster {
                id: "c2".to_string(),
                ..SeedCluster::default()
            },
        ],
        workspaces: vec![
            ws("c1:ws1", "ws-1"),
            ws("c1:ws2", "ws-2"),
            ws("c2:ws3", "ws-3"),
        ],
        volumes: Vec::new(),
        reads_until_ready,
        ready_after_ms: None,
    }
}

pub fn start(reads_until_ready: u32) -> Emulator {
    Emulator::start(world(reads_until_ready)).expect("emulator starts")
}

pub fn dynamic(name: &str, class: &str, size: u64) -> Value {
    json!({"type": "volume", "name": name,
           "config": {"type": "dynamic", "storage_class": class, "size": size}})
}

pub fn static_volume(name: &str, pv: &str) -> Value {
    json!({"type": "volume", "name": name,
           "config": {"type": "static", "persistent_volume_name": pv}})
}

pub fn with_browser(mut manifest: Value, browser: Value) -> Value {
    manifest["volume_browser"] = browser;
    manifest
}

pub fn browser() -> Value {
    json!({"username": "admin", "password_secret_fqn": "tfy-secret://acme:vol:pw",
           "endpoint": {"host": "ml.acme.com", "path": "/data/"}, "service_account": "default"})
}

pub fn status_of(app_or_deployment: &Value) -> (String, bool) {
    let st = if app_or_deployment.get("deployment").is_some() {
        &app_or_deployment["deployment"]["currentStatus"]
    } else {
        &app_or_deployment["currentStatus"]
    };
    (
        st["status"].as_str().unwrap_or("<none>").to_string(),
        st["state"]["isTerminalState"].as_bool().unwrap_or(false),
    )
}

pub fn is_iso8601_utc(s: &Value) -> bool {
    let Some(s) = s.as_str() else { return false };
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && s.chars().filter(char::is_ascii_digit).count() == 14
}

// ---------------------------------------------------------------------------------------------
