//! Debian 13 ("trixie") packages, fetched and unpacked without touching the system's apt
//! setup: Wassette 0.8.0 needs glibc 2.39 or newer and this Debian 12 has 2.36, so it runs
//! through trixie's own loader and libraries; the registry for the OCI test comes from the
//! same download.
//!
//! Once per target dir, into `<target>/host-tools/debian-trixie-…/root/`:
//!
//! ```sh
//! echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] <mirror> trixie main' \
//!     > <dir>/apt/sources.list          # <mirror>: the URI of the system's own Debian source
//! apt-get -o Dir::Etc::SourceList=<dir>/apt/sources.list -o Dir::Etc::SourceParts=/dev/null \
//!     -o Dir::State::Lists=<dir>/apt/lists -o Dir::Cache=<dir>/apt/cache \
//!     -o Dir::State::Status=/dev/null … update
//! apt-get <same options> download libc6 libgcc-s1 docker-registry
//! dpkg -x <each .deb> <dir>/root
//! ```
//!
//! A program then runs as `<root>/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
//! --library-path <root>/usr/lib/x86_64-linux-gnu <program> …`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{install_once, run_ok, INSTALL_TIMEOUT};

/// The Debian release whose packages are fetched.
const SUITE: &str = "trixie";
/// The packages: the C library and its loader, the unwinder Rust binaries link, the
/// `docker-registry` (CNCF distribution) OCI registry, and the NATS server a wasmCloud
/// lattice runs on.
const PACKAGES: [&str; 4] = ["libc6", "libgcc-s1", "docker-registry", "nats-server"];
/// The archive keys of every Debian release, from the `debian-archive-keyring` package.
const ARCHIVE_KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";
/// The multiarch directory of this machine's architecture (the only one CI runs on).
const MULTIARCH: &str = "x86_64-linux-gnu";

/// An unpacked tree of Debian trixie packages.
pub struct DebianRoot {
    root: PathBuf,
}

impl DebianRoot {
    /// A file of the unpacked packages, by its absolute path on a Debian system.
    pub fn file(&self, absolute: &str) -> PathBuf {
        self.root.join(absolute.trim_start_matches('/'))
    }

    /// `program` run by trixie's loader against trixie's libraries, whatever glibc the
    /// machine has. The returned command takes the program's arguments next.
    pub fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(self.loader());
        command
            .arg("--library-path")
            .arg(self.library_path())
            .arg(program);
        command
    }

    /// The dynamic loader (the program [`DebianRoot::command`] starts).
    pub fn loader(&self) -> PathBuf {
        self.library_path().join("ld-linux-x86-64.so.2")
    }

    /// The directory holding trixie's shared libraries.
    pub fn library_path(&self) -> PathBuf {
        self.file(&format!("/usr/lib/{MULTIARCH}"))
    }
}

/// Fetches and unpacks the packages (once per target dir); fails the test otherwise.
pub fn trixie() -> &'static DebianRoot {
    static ROOT: OnceLock<DebianRoot> = OnceLock::new();
    ROOT.get_or_init(|| {
        if !cfg!(all(target_arch = "x86_64", target_os = "linux")) {
            panic!("the Wassette and registry tests fetch x86_64 Linux packages; this is another platform");
        }
        let name = format!("debian-{SUITE}-{}", PACKAGES.join("-"));
        let dir = install_once(&name, fetch_and_unpack)
            .unwrap_or_else(|error| panic!("fetching Debian {SUITE} packages failed:\n{error}"));
        DebianRoot {
            root: dir.join("root"),
        }
    })
}

/// Runs the private apt configuration in `dir`, unpacks into `dir/root`, and keeps only the
/// unpacked tree. Returns the commands and the package versions, for the install stamp.
fn fetch_and_unpack(dir: &Path) -> Result<String, String> {
    let apt = dir.join("apt");
    let debs = dir.join("debs");
    for needed in [
        apt.join("lists/partial"),
        apt.join("cache/archives/partial"),
        debs.clone(),
    ] {
        fs::create_dir_all(&needed).map_err(|e| format!("creating {}: {e}", needed.display()))?;
    }
    let mirror = system_mirror()?;
    let sources = apt.join("sources.list");
    fs::write(
        &sources,
        format!("deb [signed-by={ARCHIVE_KEYRING}] {mirror} {SUITE} main\n"),
    )
    .map_err(|e| format!("writing {}: {e}", sources.display()))?;

    let apt_get = |args: &[&str]| {
        let mut command = Command::new("apt-get");
        command
            .current_dir(&debs)
            .arg("-o")
            .arg(format!("Dir::Etc::SourceList={}", sources.display()))
            .args(["-o", "Dir::Etc::SourceParts=/dev/null"])
            .arg("-o")
            .arg(format!("Dir::State::Lists={}", apt.join("lists").display()))
            .arg("-o")
            .arg(format!("Dir::Cache={}", apt.join("cache").display()))
            .args(["-o", "Dir::State::Status=/dev/null"])
            // The system's pins name its own release; they must not steer this one.
            .args(["-o", "Dir::Etc::Preferences=/dev/null"])
            .args(["-o", "Dir::Etc::PreferencesParts=/dev/null"])
            // As root apt downloads as `_apt`, which may not enter this directory.
            .args(["-o", "APT::Sandbox::User=root"])
            .args(["-o", "Acquire::Languages=none"])
            .args(args);
        command
    };
    let mut log = vec![run_ok(&mut apt_get(&["update"]), INSTALL_TIMEOUT)?.command];
    let mut download = vec!["download"];
    download.extend(PACKAGES);
    log.push(run_ok(&mut apt_get(&download), INSTALL_TIMEOUT)?.command);

    let root = dir.join("root");
    let mut archives: Vec<PathBuf> = fs::read_dir(&debs)
        .map_err(|e| format!("reading {}: {e}", debs.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "deb"))
        .collect();
    archives.sort();
    if archives.len() != PACKAGES.len() {
        return Err(format!(
            "apt-get download left {archives:?} in {}, expected one .deb per package of {PACKAGES:?}",
            debs.display()
        ));
    }
    for archive in &archives {
        let mut unpack = Command::new("dpkg");
        unpack.arg("-x").arg(archive).arg(&root);
        log.push(run_ok(&mut unpack, INSTALL_TIMEOUT)?.command);
    }
    // The unpacked tree is all that is used; the lists and archives are tens of megabytes.
    for scratch in [&apt, &debs] {
        fs::remove_dir_all(scratch).map_err(|e| format!("removing {}: {e}", scratch.display()))?;
    }
    Ok(log.join("\n"))
}

/// The URI of the system's Debian archive: the apt source whose suite is this release's
/// codename, from `/etc/apt/sources.list` or a `.list` / `.sources` file beside it.
fn system_mirror() -> Result<String, String> {
    let os_release = fs::read_to_string("/etc/os-release")
        .map_err(|e| format!("reading /etc/os-release: {e}"))?;
    let codename = os_release
        .lines()
        .find_map(|line| line.strip_prefix("VERSION_CODENAME="))
        .map(|value| value.trim_matches('"').to_string())
        .ok_or("/etc/os-release names no VERSION_CODENAME; is this Debian?")?;

    let mut files = vec![PathBuf::from("/etc/apt/sources.list")];
    if let Ok(entries) = fs::read_dir("/etc/apt/sources.list.d") {
        let mut parts: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
        parts.sort();
        files.extend(parts);
    }
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let found = match file.extension().and_then(|ext| ext.to_str()) {
            Some("sources") => deb822_mirror(&text, &codename),
            Some("list") => one_line_mirror(&text, &codename),
            _ => None,
        };
        if let Some(uri) = found {
            return Ok(uri);
        }
    }
    Err(format!(
        "no apt source for suite `{codename}` in /etc/apt/sources.list or /etc/apt/sources.list.d/"
    ))
}

/// The first URI of a `deb` stanza listing `suite`, in the deb822 `.sources` format.
fn deb822_mirror(text: &str, suite: &str) -> Option<String> {
    text.split("\n\n").find_map(|stanza| {
        let field = |name: &str| {
            stanza.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
        };
        let enabled = field("Enabled").is_none_or(|value| value != "no");
        let is_deb =
            field("Types").is_some_and(|types| types.split_whitespace().any(|t| t == "deb"));
        let has_suite =
            field("Suites").is_some_and(|suites| suites.split_whitespace().any(|s| s == suite));
        if enabled && is_deb && has_suite {
            field("URIs").and_then(|uris| uris.split_whitespace().next().map(str::to_string))
        } else {
            None
        }
    })
}

/// The URI of the first `deb URI suite …` line for `suite`, in the one-line `.list` format.
fn one_line_mirror(text: &str, suite: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        if words.next() != Some("deb") {
            return None;
        }
        let mut words = words.skip_while(|word| word.starts_with('['));
        // Options may span several words: `[arch=amd64 signed-by=…]`.
        let uri = words.find(|word| !word.ends_with(']'))?;
        (words.next() == Some(suite)).then(|| uri.to_string())
    })
}
