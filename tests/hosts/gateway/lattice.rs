//! The gateway on a wasmCloud lattice of two hosts: a local `nats-server`, a local OCI
//! registry holding the gateway build, two `wash host` processes joined over that NATS, and
//! this test in the runtime operator's place — it sends each host a `workload.start`
//! request over NATS, as the operator does, naming the image, the environment
//! (`TFY_BASE_URL`), the one allowed outbound host, and the `wasi:http/incoming-handler`
//! host name to answer to. Then every route goes through the first host, and the second
//! host, serving the same workload, sees what the first changed.
//!
//! ```sh
//! <trixie>/usr/sbin/nats-server -a 127.0.0.1 -p <nats>
//! # the OCI test's registry (crate::registry): trixie's docker-registry over TLS
//! wash oci push --ca-path <ca.pem> <registry>/truefoundry/volumes-gateway:0.1.0 <gateway.wasm>
//! wash host --scheduler-nats-url nats://127.0.0.1:<nats> --data-nats-url nats://127.0.0.1:<nats> \
//!     --http-addr 127.0.0.1:<port n> --host-name lattice-<n> --host-group gateways \
//!     --oci-ca-path <ca.pem> --deny-special-ranges false      # twice
//! ```
//!
//! `--deny-special-ranges false` only because the emulator is on loopback; a real control
//! plane needs no such exception. Debian trixie's `nats-server` comes with the other Debian
//! packages the host tests unpack under `<target>/host-tools/` (`crate::debian`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use tfy_volumes_host::runtime::GATEWAY_WASM;

use super::process::{free_port, Served};
use super::scenario::{self, wait_until_serving, Http};
use crate::debian::trixie;
use crate::registry::{oci_tools, Registry};
use crate::support::{demo_emulator, DEMO_KEY, DEMO_WS};
use crate::wassette_setup::ScratchHome;

/// The host name the workload answers to on each host's HTTP address.
const INGRESS_HOST: &str = "127.0.0.1";

/// One NATS request over the client protocol: publishes `payload` on `subject` with a reply
/// inbox and returns the first reply.
fn nats_request(port: u16, subject: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with("INFO ") {
        return Err(format!("not a NATS server: {line}"));
    }
    let inbox = "_INBOX.gateway-lattice-test";
    let mut frame = format!(
        "CONNECT {{\"verbose\":false,\"pedantic\":false}}\r\nSUB {inbox} 1\r\nPUB {subject} {inbox} {}\r\n",
        payload.len()
    )
    .into_bytes();
    frame.extend_from_slice(payload);
    frame.extend_from_slice(b"\r\n");
    writer.write_all(&frame).map_err(|e| e.to_string())?;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("NATS closed the connection".into());
        }
        if line.starts_with("MSG ") {
            let length: usize = line
                .split_whitespace()
                .last()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("a malformed MSG line: {line}"))?;
            let mut body = vec![0; length + 2];
            reader.read_exact(&mut body).map_err(|e| e.to_string())?;
            body.truncate(length);
            return Ok(body);
        } else if line.starts_with("PING") {
            writer.write_all(b"PONG\r\n").map_err(|e| e.to_string())?;
        } else if line.starts_with("-ERR") {
            return Err(line.trim().to_string());
        }
    }
}

/// What the operator would send to place the gateway on a host.
fn workload_start(image: &str, base_url: &str) -> Value {
    json!({
        "workloadId": "truefoundry-volumes-gateway",
        "workload": {
            "namespace": "default",
            "name": "truefoundry-volumes-gateway",
            "witWorld": {
                "components": [{
                    "name": "gateway",
                    "image": image,
                    "localResources": {
                        "environment": {"TFY_BASE_URL": base_url},
                        "allowedHosts": ["127.0.0.1"],
                    },
                }],
                "hostInterfaces": [{
                    "namespace": "wasi",
                    "package": "http",
                    "interfaces": ["incoming-handler"],
                    "config": {"host": INGRESS_HOST},
                }],
            },
        },
    })
}

#[test]
fn the_gateway_serves_from_both_hosts_of_a_two_host_lattice() {
    let home = ScratchHome::new("gateway-lattice");
    let tools = oci_tools(&home);
    let dir = home.dir();

    let nats_port = free_port();
    let nats_server = trixie().file("/usr/sbin/nats-server");
    let mut nats = trixie().command(&nats_server);
    nats.args(["-a", "127.0.0.1", "-p"])
        .arg(nats_port.to_string());
    let nats = Served::spawn(&mut nats, nats_port, &dir.join("nats.log"));
    nats.wait_for_log("Server is ready");

    let registry = Registry::start(&home, &tools);
    let image = format!("{}/truefoundry/volumes-gateway:0.1.0", registry.address);
    registry.push(&tools, &home, &image, std::path::Path::new(GATEWAY_WASM));

    let emulator = demo_emulator();
    let hosts: Vec<Served> = (1..=2)
        .map(|n| {
            let port = free_port();
            let mut host = Command::new(tools.wash());
            host.arg("host")
                .args([
                    "--scheduler-nats-url",
                    &format!("nats://127.0.0.1:{nats_port}"),
                ])
                .args(["--data-nats-url", &format!("nats://127.0.0.1:{nats_port}")])
                .args(["--http-addr", &format!("127.0.0.1:{port}")])
                .args([
                    "--host-name",
                    &format!("lattice-{n}"),
                    "--host-group",
                    "gateways",
                ])
                .arg("--oci-ca-path")
                .arg(&registry.ca)
                .args(["--deny-special-ranges", "false", "--non-interactive"])
                .env_clear()
                .envs(home.env())
                .env("NO_COLOR", "1");
            Served::spawn(&mut host, port, &dir.join(format!("host-{n}.log")))
        })
        .collect();
    for host in &hosts {
        let id = host.wait_for_log("Host started host_id=\"");
        let id = id.split('"').next().unwrap_or_default();
        let request = workload_start(&image, &emulator.base_url()).to_string();
        let reply = nats_request(
            nats_port,
            &format!("runtime.host.{id}.workload.start"),
            request.as_bytes(),
        )
        .unwrap_or_else(|error| panic!("workload.start on {id}: {error}\n{}", host.log()));
        let reply: Value = serde_json::from_slice(&reply).expect("a JSON reply");
        assert_eq!(
            reply["workloadStatus"]["message"],
            "Workload started successfully",
            "{reply}\n{}",
            host.log()
        );
        wait_until_serving(&host.base, Duration::from_secs(30))
            .unwrap_or_else(|error| panic!("{error}\n{}", host.log()));
    }

    // Every route through the first host; the second serves the same control plane.
    scenario::every_route(&hosts[0].base, &emulator, "lattice");
    let second = Http::new(&hosts[1].base);
    let deleted = second
        .get(&format!("/volumes/{DEMO_WS}:lattice-gw"))
        .problem(404);
    assert_eq!(
        deleted["case"], "not-found",
        "deleted through the first host"
    );
    let listed = second
        .get(&format!("/workspaces/{DEMO_WS}/volumes"))
        .ok(200);
    assert_eq!(listed.as_array().map(Vec::len), Some(3));
    let anonymous = second.send("GET", "/volumes/app-1", None, None);
    assert_eq!(anonymous.problem(401)["case"], "unauthorized");

    for host in hosts {
        let log = host.stop_and_check_log();
        assert!(log.contains("Starting workload"), "{log}");
    }
    let log = nats.stop_and_check_log();
    assert!(!log.contains(DEMO_KEY));
}
