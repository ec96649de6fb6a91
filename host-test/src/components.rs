//! The three builds of the component, embedded at compile time: a binary built from this
//! crate carries them and needs no build tree when it runs (`cargo install` gives one that
//! works anywhere).

/// One build of the component: which world it exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum World {
    /// `full-access`: one `volumes` interface with every function.
    FullAccess,
    /// `tools`: every function as a top-level export, for agent runtimes.
    Tools,
    /// `read-only-tools`: the tools that cannot change anything.
    ReadOnlyTools,
}

impl World {
    /// Every build, in the order the README lists them.
    pub const ALL: [World; 3] = [World::FullAccess, World::Tools, World::ReadOnlyTools];

    /// The world's name in `wit/volumes.wit`.
    pub fn name(self) -> &'static str {
        match self {
            World::FullAccess => "full-access",
            World::Tools => "tools",
            World::ReadOnlyTools => "read-only-tools",
        }
    }

    /// The file name the build is published under.
    pub fn file_name(self) -> &'static str {
        match self {
            World::FullAccess => "truefoundry-volumes.wasm",
            World::Tools => "truefoundry-volumes-tools.wasm",
            World::ReadOnlyTools => "truefoundry-volumes-read-only-tools.wasm",
        }
    }

    /// The component, as `build.rs` finished it (metadata and WIT docs included).
    pub fn bytes(self) -> &'static [u8] {
        match self {
            World::FullAccess => include_bytes!(env!("VOLUMES_COMPONENT_WASM")),
            World::Tools => include_bytes!(env!("VOLUMES_TOOLS_WASM")),
            World::ReadOnlyTools => include_bytes!(env!("VOLUMES_READ_ONLY_TOOLS_WASM")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{COMPONENT_WASM, READ_ONLY_TOOLS_WASM, TOOLS_WASM};

    #[test]
    fn the_embedded_builds_are_the_built_files() {
        for (world, path) in [
            (World::FullAccess, COMPONENT_WASM),
            (World::Tools, TOOLS_WASM),
            (World::ReadOnlyTools, READ_ONLY_TOOLS_WASM),
        ] {
            assert_eq!(world.bytes(), std::fs::read(path).unwrap(), "{path}");
            assert!(path.ends_with(world.file_name()), "{path}");
        }
    }
}
