//! The gateway on a wasmCloud lattice of two hosts: a local `nats-server`, a local OCI
//! registry holding the gateway build, two `wash host` processes joined over that NATS, and
//! this test in the runtime operator's place — it sends each host a `workload.start`
//! request over NATS, as the operator does, naming the image, the environment
//! (`TFY_BASE_URL`), the one allowed outbound host, and the `wasi:http/incoming-handler`
//! host name to answer to. Then every route goes through the first host, and the second
//! host, serving the same workload, sees what the first created.
//!
//! ```sh
//! nats-server -a 127.0.0.1 -p <nats>
//! docker-registry serve <config: filesystem storage, http.addr 127.0.0.1:<registry>>
//! wash oci push --insecure 127.0.0.1:<registry>/truefoundry-volumes-gateway:0.1.0 <gateway.wasm>
//! wash host --scheduler-nats-url nats://127.0.0.1:<nats> --data-nats-url nats://127.0.0.1:<nats> \
//!     --http-addr 127.0.0.1:<port n> --host-name lattice-<n> --host-group gateways \
//!     --allow-insecure-registries --deny-special-ranges false      # twice
//! ```
//!
//! `--deny-special-ranges false` only because the emulator is on loopback; a real control
//! plane needs no such exception. The Debian packages (`nats-server` 2.9.10, `docker-registry`
//! 2.8.2) are fetched with `apt-get download` and unpacked under `<target>/host-tools/`.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use tfy_volumes_host::runtime::GATEWAY_WASM;

use super::process::{free_port, Served};
use super::scenario::{self, wait_until_serving, Http};
use super::wash::wash;
use crate::support::{demo_emulator, install_once, run_ok, DEMO_KEY, DEMO_WS};

/// Debian `nats-server`.
const NATS_SERVER: &str = "2.9.10-1+b3";
/// Debian `docker-registry` (the CNCF distribution registry).
const DOCKER_REGISTRY: &str = "2.8.2+ds1-1";
/// The host name the workload answers to on each host's HTTP address.
const INGRESS_HOST: &str = "127.0.0.1";

/// `binary` from Debian package `package` at `version`, unpacked (not installed) under
/// `<target>/host-tools/deb-<package>-<version>/`.
fn debian_binary(package: &str, version: &str, binary: &str) -> PathBuf {
    let dir = install_once(&format!("deb-{package}-{version}"), |dir| {
        let download = || {
            let mut apt = Command::new("apt-get");
            apt.current_dir(dir)
                .arg("download")
                .arg(format!("{package}={version}"));
            run_ok(&mut apt, Duration::from_secs(300))
        };
        // A machine whose package lists were never fetched knows no versions yet.
        let fetched = match download() {
            Ok(fetched) => fetched,
            Err(_) => {
                run_ok(
                    Command::new("apt-get").arg("update"),
                    Duration::from_secs(300),
                )?;
                download()?
            }
        };
        let deb = fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|ext| ext == "deb"))
            .ok_or_else(|| format!("apt-get download left no .deb in {}", dir.display()))?;
        run_ok(
            Command::new("dpkg-deb")
                .arg("-x")
                .arg(&deb)
                .arg(dir.join("root")),
            Duration::from_secs(60),
        )?;
        Ok(fetched.command)
    })
    .unwrap_or_else(|error| panic!("unpacking Debian's {package} {version} failed:\n{error}"));
    dir.join("root").join(binary)
}

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
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gateway-lattice");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a temporary directory");
    let xdg = |command: &mut Command| {
        command
            .env("XDG_CONFIG_HOME", dir.join("xdg/config"))
            .env("XDG_DATA_HOME", dir.join("xdg/data"))
            .env("XDG_CACHE_HOME", dir.join("xdg/cache"))
            .env("NO_COLOR", "1");
    };

    let nats_port = free_port();
    let nats = Served::spawn(
        Command::new(debian_binary(
            "nats-server",
            NATS_SERVER,
            "usr/sbin/nats-server",
        ))
        .args(["-a", "127.0.0.1", "-p"])
        .arg(nats_port.to_string()),
        nats_port,
        &dir.join("nats.log"),
    );
    nats.wait_for_log("Server is ready");

    let registry_port = free_port();
    let config = dir.join("registry.yml");
    fs::write(
        &config,
        format!(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{registry_port}\n",
            dir.join("registry").display()
        ),
    )
    .expect("the registry's config");
    let registry = Served::spawn(
        Command::new(debian_binary(
            "docker-registry",
            DOCKER_REGISTRY,
            "usr/bin/docker-registry",
        ))
        .arg("serve")
        .arg(&config),
        registry_port,
        &dir.join("registry.log"),
    );
    registry.wait_for_log("listening on");
    let image = format!("127.0.0.1:{registry_port}/truefoundry-volumes-gateway:0.1.0");
    let mut push = Command::new(wash());
    push.args(["oci", "push", "--insecure", &image, GATEWAY_WASM]);
    xdg(&mut push);
    run_ok(&mut push, Duration::from_secs(120)).unwrap_or_else(|error| panic!("{error}"));

    let emulator = demo_emulator();
    let hosts: Vec<Served> = (1..=2)
        .map(|n| {
            let port = free_port();
            let mut host = Command::new(wash());
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
                .args([
                    "--allow-insecure-registries",
                    "--deny-special-ranges",
                    "false",
                ])
                .arg("--non-interactive");
            xdg(&mut host);
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
    let created = second
        .get(&format!("/volumes/{DEMO_WS}:lattice-gw"))
        .ok(200);
    assert_eq!(
        created["size-gi"], 40,
        "the expansion made through the first host"
    );
    let listed = second
        .get(&format!("/workspaces/{DEMO_WS}/volumes"))
        .ok(200);
    assert_eq!(listed.as_array().map(Vec::len), Some(4));
    let anonymous = second.send("GET", "/volumes/app-1", None, None);
    assert_eq!(anonymous.problem(401)["case"], "unauthorized");

    for host in hosts {
        let log = host.stop_and_check_log();
        assert!(log.contains("Starting workload"), "{log}");
    }
    for process in [registry, nats] {
        let log = process.stop_and_check_log();
        assert!(!log.contains(DEMO_KEY));
    }
}
