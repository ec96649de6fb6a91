//! Fully qualified names (docs/truefoundry-api.md §9): workspaces, volumes and the `tfy-volume://` reference.

use alloc::format;
use alloc::string::String;
use core::fmt;

use crate::error::{Error, Result};
use crate::input::validate::{existing_volume_name, fqn_part_ok, shown};

/// The scheme a mount's `volume_fqn` must carry (docs/truefoundry-api.md §8, §14.1).
pub const VOLUME_SCHEME: &str = "tfy-volume://";
/// The scheme of a mount of a raw Kubernetes PersistentVolumeClaim in the application's own
/// namespace, `tfy-k8s-volume://<pvc-name>` (docs/truefoundry-api.md §8, §9).
pub const K8S_VOLUME_SCHEME: &str = "tfy-k8s-volume://";

/// A workspace FQN, `<cluster>:<workspace>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFqn {
    cluster: String,
    workspace: String,
}

impl WorkspaceFqn {
    /// Parses `<cluster>:<workspace>`; `field` names the argument in errors.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let mut parts = text.split(':');
        let (Some(cluster), Some(workspace), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is not a workspace FQN of the form <cluster>:<workspace>",
                    shown(text)
                ),
                "Ask the user which workspace to use and pass its FQN, for example \
                 `prod-cluster:ml-team` (TrueFoundry UI > Workspaces shows it).",
            ));
        };
        if !fqn_part_ok(cluster) || !fqn_part_ok(workspace) {
            return Err(Error::invalid(
                field,
                format!(
                    "{} has an empty part or characters other than letters, digits, `-`, `_` and `.`",
                    shown(text)
                ),
                "Pass the workspace FQN exactly as TrueFoundry shows it, for example \
                 `prod-cluster:ml-team`.",
            ));
        }
        Ok(WorkspaceFqn {
            cluster: cluster.into(),
            workspace: workspace.into(),
        })
    }

    /// The cluster id (the part before the colon).
    pub fn cluster(&self) -> &str {
        &self.cluster
    }

    /// The workspace name.
    pub fn workspace(&self) -> &str {
        &self.workspace
    }
}

impl fmt::Display for WorkspaceFqn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cluster, self.workspace)
    }
}

/// A volume FQN, `<cluster>:<workspace>:<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeFqn {
    workspace: WorkspaceFqn,
    name: String,
}

impl VolumeFqn {
    /// Parses `<cluster>:<workspace>:<name>`, with or without the `tfy-volume://` prefix.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let bare = text.strip_prefix(VOLUME_SCHEME).unwrap_or(text);
        let Some((workspace, name)) = bare.rsplit_once(':') else {
            return Err(Self::malformed(field, text));
        };
        if workspace.matches(':').count() != 1 {
            return Err(Self::malformed(field, text));
        }
        let workspace = WorkspaceFqn::parse(field, workspace)?;
        existing_volume_name(field, name)?;
        Ok(VolumeFqn {
            workspace,
            name: name.into(),
        })
    }

    fn malformed(field: &str, text: &str) -> Error {
        Error::invalid(
            field,
            format!(
                "{} is not a volume FQN of the form <cluster>:<workspace>:<name>",
                shown(text)
            ),
            "Give the volume's FQN as `list-volumes` or `get` return it, for example \
             `prod-cluster:ml-team:training-data` (the `tfy-volume://` prefix is optional).",
        )
    }

    /// Builds the FQN of volume `name` in `workspace`.
    pub fn new(workspace: WorkspaceFqn, name: String) -> Self {
        VolumeFqn { workspace, name }
    }

    /// The owning workspace.
    pub fn workspace(&self) -> &WorkspaceFqn {
        &self.workspace
    }

    /// The volume name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The reference a mount needs: `tfy-volume://<cluster>:<workspace>:<name>`.
    pub fn mount_reference(&self) -> String {
        format!("{VOLUME_SCHEME}{self}")
    }
}

impl fmt::Display for VolumeFqn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.workspace, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn workspace_fqns() {
        let parsed = WorkspaceFqn::parse("workspace-fqn", "prod-cluster:ml-team").unwrap();
        assert_eq!(
            (parsed.cluster(), parsed.workspace()),
            ("prod-cluster", "ml-team")
        );
        assert_eq!(parsed.to_string(), "prod-cluster:ml-team");
        for bad in [
            "", "ml-team", "a:b:c", ":b", "a:", "a b:c", "a:b/c", "a:b?x=1",
        ] {
            let error = WorkspaceFqn::parse("workspace-fqn", bad).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidInput { field, .. } if field == "workspace-fqn"),
                "{bad:?}: {error:?}"
            );
        }
    }

    #[test]
    fn volume_fqns_with_and_without_scheme() {
        for text in ["c1:ws1:my-volume", "tfy-volume://c1:ws1:my-volume"] {
            let parsed = VolumeFqn::parse("volume-fqn", text).unwrap();
            assert_eq!(parsed.to_string(), "c1:ws1:my-volume");
            assert_eq!(parsed.mount_reference(), "tfy-volume://c1:ws1:my-volume");
            assert_eq!(parsed.name(), "my-volume");
            assert_eq!(parsed.workspace().to_string(), "c1:ws1");
        }
    }

    #[test]
    fn malformed_volume_fqns_are_refused() {
        for bad in [
            "my-volume",
            "c1:my-volume",
            "c1:ws1:v:extra",
            "tfy-volume://c1:ws1",
            "tfy-secret://c1:ws1:my-volume",
            "c1:ws1:My-Volume",
            "c1:ws1:ab",
            "c1::my-volume",
        ] {
            let error = VolumeFqn::parse("volume-fqn", bad).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidInput { field, .. } if field == "volume-fqn"),
                "{bad:?}: {error:?}"
            );
        }
    }
}
