//! Request recording (including how each body was framed) and keep-alive connections.

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;

use truefoundry_emulator::{BodyFraming, Emulator};

use crate::support::*;

#[test]
fn every_request_is_recorded_with_decoded_query_and_lowercased_headers() {
    let emu = start(0);
    let body = br#"{"manifest":{"type":"volume"}}"#;
    let resp = send(
        emu.addr(),
        "PUT",
        "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&nameSearchQuery=a+b%2Fc",
        &[("Authorization", "Bearer admin-key"), ("X-Trace-ID", "T-1")],
        body,
        Duration::from_secs(10),
    )
    .expect("answer");
    assert_eq!(resp.status, 400, "invalid manifest, still recorded");
    call(&emu, "GET", "/api/svc/v1/workspaces", None, None); // a 401, recorded too

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 2);
    let put = &recorded[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, "/api/svc/v1/apps");
    assert_eq!(
        put.query,
        vec![
            ("workspaceFqn".to_string(), "c1:ws1".to_string()),
            ("nameSearchQuery".to_string(), "a b/c".to_string()),
        ]
    );
    assert_eq!(put.query_param("workspaceFqn"), Some("c1:ws1"));
    assert_eq!(put.query_param("missing"), None);
    assert_eq!(put.header("x-trace-id"), Some("T-1"));
    assert_eq!(put.header("Authorization"), Some("Bearer admin-key"));
    assert!(
        put.headers
            .iter()
            .any(|(k, v)| k == "x-trace-id" && v == "T-1"),
        "{:?}",
        put.headers
    );
    assert!(put
        .headers
        .iter()
        .all(|(k, _)| *k == k.to_ascii_lowercase()));
    assert_eq!(put.body, body.to_vec());
    assert_eq!(
        put.json_body(),
        Some(json!({"manifest": {"type": "volume"}}))
    );
    assert_eq!(recorded[1].method, "GET");
    assert_eq!(recorded[1].header("authorization"), None);

    emu.clear_requests();
    assert!(emu.requests().is_empty());
    get(&emu, "/api/svc/v1/clusters");
    assert_eq!(emu.requests().len(), 1);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let emu = start(0);
    let mut stream = TcpStream::connect(emu.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for fqn in ["c1:ws1", "c1:ws2", "c2:ws3"] {
        let target = format!("/api/svc/v1/workspaces?fqn={fqn}");
        write_request(
            &mut stream,
            "GET",
            &target,
            &[("Authorization", "Bearer admin-key")],
            b"",
            false,
        )
        .expect("write");
        let resp = read_response(&mut reader).expect("response");
        assert_eq!(resp.json()["data"][0]["fqn"], fqn);
    }
    assert_eq!(emu.requests().len(), 3);
}

// ---------------------------------------------------------------------------------------------

/// Sends `head` (request line and headers, without the blank line) and `body` as they are, on
/// a fresh connection, and reads the answer.
fn send_raw(emu: &Emulator, head: &str, body: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(emu.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "{head}\r\nHost: emulator\r\nAuthorization: Bearer {ADMIN}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).expect("head sent");
    stream.write_all(body).expect("body sent");
    read_response(&mut BufReader::new(stream)).expect("an answer")
}

#[test]
fn recorded_requests_tell_how_the_body_was_framed() {
    let emu = start(0);
    let manifest = json!({"manifest": dynamic("framed", "efs-sc", 1), "workspaceId": "ws-1"});
    let body = manifest.to_string();
    let sized = send_raw(
        &emu,
        &format!(
            "PUT /api/svc/v1/apps HTTP/1.1\r\nContent-Length: {}",
            body.len()
        ),
        body.as_bytes(),
    );
    assert_eq!(sized.status, 200, "{}", sized.text());
    let sized_length = body.len() as u64;
    let manifest = json!({"manifest": dynamic("chunked", "efs-sc", 1), "workspaceId": "ws-1"});
    let body = manifest.to_string();
    let chunked_body = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let streamed = send_raw(
        &emu,
        "PUT /api/svc/v1/apps HTTP/1.1\r\nTransfer-Encoding: chunked",
        chunked_body.as_bytes(),
    );
    assert_eq!(streamed.status, 200, "{}", streamed.text());
    let bare = send_raw(&emu, "GET /api/svc/v1/clusters HTTP/1.1", b"");
    assert_eq!(bare.status, 200, "{}", bare.text());

    let framings: Vec<BodyFraming> = emu.requests().iter().map(|r| r.body_framing()).collect();
    assert_eq!(
        framings,
        [
            BodyFraming::ContentLength(sized_length),
            BodyFraming::Chunked,
            BodyFraming::None,
        ]
    );
    // The chunked body is recorded decoded, like any other.
    assert_eq!(emu.requests()[1].json_body(), Some(manifest));
}
