//! Why an emulator could not start, or could not keep its state file.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why [`crate::Emulator`] could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The seed contradicts itself: a volume in an unknown workspace, an invalid manifest, a
    /// duplicate. The message names the offending entry.
    #[error("invalid emulator seed: {0}")]
    InvalidSeed(String),
    /// The listening socket could not be bound (port in use, address not local, …).
    #[error("the emulator cannot listen on {address}: {error}; choose another port (0 picks a free one)")]
    Listen {
        /// The address asked for.
        address: SocketAddr,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// The server's thread or async runtime could not be created.
    #[error("the emulator's server could not start: {0}")]
    Server(std::io::Error),
    /// The state file exists but cannot be used.
    #[error(transparent)]
    State(#[from] StateError),
}

/// A state file that cannot be read, understood or written. Every case names the file; none
/// is ever answered by silently starting afresh.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading the file failed for a reason other than its absence.
    #[error("cannot read the emulator state file {}: {error}; fix its permissions or choose another file", path.display())]
    Unreadable {
        /// The state file.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// The file is not a state this emulator wrote (not JSON, another format version, or
    /// contradicting itself).
    #[error("the emulator state file {} is not a usable state: {detail}; reset it (delete the file) to start again from the seed", path.display())]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What is wrong, with the JSON position where there is one.
        detail: String,
    },
    /// Writing the file (or its temporary sibling, or renaming one onto the other) failed.
    #[error("cannot write the emulator state file {}: {error}", path.display())]
    Unwritable {
        /// The state file.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
}
