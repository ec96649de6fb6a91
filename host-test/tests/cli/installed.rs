//! The binary copied away from the build tree: it carries its components, caches their
//! compiled code in the user's cache directory, and never fails for want of a cache.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system's temporary directory, away from the build tree;
/// removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "tfy-volumes-cli-{label}-{}-{number}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    fn dir(&self, name: &str) -> PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The CLI copied alone into `scratch`, run with nothing of the build's environment: no
/// `CARGO_*`, no `PATH`, `HOME` and `XDG_CACHE_HOME` in `scratch`, another directory as the
/// current one.
struct Installed {
    binary: PathBuf,
    home: PathBuf,
    cache_home: PathBuf,
    cwd: PathBuf,
}

impl Installed {
    fn new(scratch: &Scratch) -> Installed {
        let binary = scratch.dir("bin").join("tfy-volumes");
        std::fs::copy(env!("CARGO_BIN_EXE_tfy-volumes"), &binary).unwrap();
        Installed {
            binary,
            home: scratch.dir("home"),
            cache_home: scratch.dir("cache"),
            cwd: scratch.dir("elsewhere"),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .env_clear()
            .env("HOME", &self.home)
            .env("XDG_CACHE_HOME", &self.cache_home)
            .current_dir(&self.cwd);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the copied CLI runs")
    }
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// The compiled-code entries (not the cache's own bookkeeping files) under `dir`.
fn compiled_entries(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|file| file.starts_with("modules/") && !file.ends_with(".stats"))
        .collect()
}

const SIZE_ARGS: [&str; 5] = [
    "recommend-size",
    "--use-case",
    "model-cache",
    "--parameters-billions",
    "7",
];

const SEVEN_B_CACHE: &str = "32 Gi\n\
A 7B-parameter model in FP16 takes about 13.0 Gi on disk. A cache needs twice that for the \
download and its extraction (26.1 Gi), plus 20 % headroom: 31.3 Gi. Recommended: 32 Gi. A \
volume can be expanded later but never shrunk, so this starts small; expand when usage passes \
about 80 %.\n\
Warning: Large models are often stored in several formats (for example safetensors and a \
quantized copy); size for every copy you will keep.\n";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn a_copy_of_the_binary_runs_anywhere_and_caches_in_the_users_cache_directory() {
    let scratch = Scratch::new("anywhere");
    let installed = Installed::new(&scratch);

    let offline = installed.run(&SIZE_ARGS);
    assert_eq!(
        (offline.status.code(), text(&offline.stderr).as_str()),
        (Some(0), "")
    );
    assert_eq!(text(&offline.stdout), SEVEN_B_CACHE);
    let cache = installed.cache_home.join("tfy-volumes");
    let compiled = compiled_entries(&cache);
    assert_eq!(compiled.len(), 1, "one compiled component in {cache:?}");
    assert_eq!(files_under(&installed.home), Vec::<String>::new());
    assert_eq!(files_under(&installed.cwd), Vec::<String>::new());

    // The embedded emulator, through the same cache: nothing is compiled again.
    let listed = installed.run(&["list", "-w", "demo-cluster:demo-ws"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    let table = text(&listed.stdout);
    let rows: Vec<(&str, &str)> = table
        .lines()
        .map(|line| line.rsplit_once("  ").unwrap_or((line, "")))
        .collect();
    assert_eq!(
        rows.iter().map(|(row, _)| *row).collect::<Vec<_>>(),
        [
            "NAME             SIZE    STORAGE CLASS                 STATUS ",
            "model-cache      200 Gi  efs-sc                        RUNNING",
            "shared-datasets  -       static PV shared-datasets-pv  RUNNING",
            "training-data    100 Gi  efs-sc                        RUNNING",
        ]
    );
    for (_, created) in &rows[1..] {
        assert!(
            created.len() == 20 && created.ends_with('Z'),
            "{created:?} is not a UTC timestamp"
        );
    }
    assert_eq!(compiled_entries(&cache), compiled);

    // The binary names no file of the build tree it could read the components from.
    let binary = std::fs::read(&installed.binary).unwrap();
    let binary = String::from_utf8_lossy(&binary);
    for built in [
        tfy_volumes_host::runtime::COMPONENT_WASM,
        tfy_volumes_host::runtime::TOOLS_WASM,
        tfy_volumes_host::runtime::READ_ONLY_TOOLS_WASM,
    ] {
        assert!(!binary.contains(built), "the binary refers to {built}");
    }
}

#[test]
fn the_cache_directory_can_be_chosen_or_be_unusable() {
    let scratch = Scratch::new("cache");
    let installed = Installed::new(&scratch);

    let chosen = scratch.dir("chosen");
    let output = installed
        .command(&SIZE_ARGS)
        .env("TFY_VOLUMES_CACHE_DIR", &chosen)
        .output()
        .unwrap();
    assert_eq!(text(&output.stdout), SEVEN_B_CACHE);
    assert_eq!(compiled_entries(&chosen).len(), 1);
    assert_eq!(files_under(&installed.cache_home), Vec::<String>::new());

    // A directory that cannot be created (its parent is a file): a note, and the answer.
    let file = scratch.0.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let blocked = file.join("cache");
    let output = installed
        .command(&SIZE_ARGS)
        .env("TFY_VOLUMES_CACHE_DIR", &blocked)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), SEVEN_B_CACHE);
    assert_eq!(
        text(&output.stderr),
        format!(
            "note: compiling the component without a cache: failed to create cache directory: \
             {}: Not a directory (os error 20)\n",
            blocked.display()
        )
    );
}

#[test]
fn the_component_command_writes_the_embedded_builds() {
    let scratch = Scratch::new("component");
    let installed = Installed::new(&scratch);
    for (world, built) in [
        ("full-access", tfy_volumes_host::runtime::COMPONENT_WASM),
        ("tools", tfy_volumes_host::runtime::TOOLS_WASM),
        (
            "read-only-tools",
            tfy_volumes_host::runtime::READ_ONLY_TOOLS_WASM,
        ),
    ] {
        let file = scratch.0.join(format!("{world}.wasm"));
        let output = installed
            .command(&["component", "--world", world, "-o"])
            .arg(&file)
            .output()
            .unwrap();
        let expected = std::fs::read(built).unwrap();
        assert_eq!(
            text(&output.stdout),
            format!(
                "wrote the {world} component ({} bytes) to {}\n",
                expected.len(),
                file.display()
            )
        );
        assert!(std::fs::read(&file).unwrap() == expected, "{world} differs");
    }
}
