//! Where the CLI keeps compiled machine code: the user's cache directory, never the tree the
//! binary was built in, and never a reason to fail.

use std::path::PathBuf;

use tfy_volumes_host::runtime::code_cache;

use crate::output;

/// Overrides the cache directory (an empty value counts as unset).
pub const CACHE_DIR_VARIABLE: &str = "TFY_VOLUMES_CACHE_DIR";

/// The directory to cache in: `$TFY_VOLUMES_CACHE_DIR`, else `tfy-volumes` in the platform's
/// cache directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS,
/// the local app data folder on Windows), or why there is none.
fn directory() -> Result<PathBuf, String> {
    match std::env::var_os(CACHE_DIR_VARIABLE) {
        Some(value) if !value.is_empty() => Ok(PathBuf::from(value)),
        _ => dirs::cache_dir()
            .map(|base| base.join("tfy-volumes"))
            .ok_or_else(|| {
                format!(
                    "no user cache directory (set HOME, XDG_CACHE_HOME or {CACHE_DIR_VARIABLE})"
                )
            }),
    }
}

/// The compiled-code cache, or `None` with a one-line note on stderr when it cannot be used:
/// the component is then compiled on every run, which only costs time.
pub fn open() -> Option<wasmtime::Cache> {
    let directory = match directory() {
        Ok(directory) => directory,
        Err(reason) => {
            without_cache(&reason);
            return None;
        }
    };
    match code_cache(&directory) {
        Ok(cache) => Some(cache),
        Err(error) => {
            // wasmtime's chain names the directory and the OS error, on one line.
            without_cache(&format!("{error:#}"));
            None
        }
    }
}

/// The one-line note that the cache is not used, and why.
fn without_cache(reason: &str) {
    output::warn(format!(
        "note: compiling the component without a cache: {reason}"
    ));
}
