//! Where the interview is answered from, and the few sentences that differ there: the
//! `volumes` interface creates with `create(request)`, the `tools` build with
//! `create-volume(answers)`, and the read-only build cannot create at all, so its plan must
//! not offer to.

use crate::offline::plan::OFFER_TO_CREATE;

/// The build (and so the functions) the interview's reader has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The `volumes` interface (`full-access`): `create`, `recommend-size`,
    /// `static-volume-recipe`.
    Interface,
    /// The `tools` world: `create-volume` and the per-task tools.
    Tools,
    /// The `read-only-tools` world: the per-task tools, nothing that writes.
    ReadOnlyTools,
}

impl Surface {
    /// The last sentence of the plan's summary, which the user reads.
    pub(super) fn closing(self) -> &'static str {
        match self {
            Surface::Interface | Surface::Tools => OFFER_TO_CREATE,
            Surface::ReadOnlyTools => {
                "It cannot be created from here (this build only reads): create it with \
                 these settings from a build that can write, or in the TrueFoundry UI."
            }
        }
    }

    /// What the agent does with the finished plan.
    pub(super) fn next_step(self) -> &'static str {
        match self {
            Surface::Interface => {
                "Show `plan.summary` to the user verbatim and ask them to confirm. On yes, call \
                 `create` with `request`. To change a setting, add the corrected answer and call \
                 `interview` again."
            }
            Surface::Tools => {
                "Show `plan.summary` to the user verbatim and ask them to confirm. On yes, call \
                 create-volume with `answers` exactly as they are here. To change a setting, add \
                 the corrected answer and call volume-interview again."
            }
            Surface::ReadOnlyTools => {
                "Show `plan.summary` to the user. This build only reads: it cannot create the \
                 volume. Whoever creates it (the `tools` build's create-volume takes `answers`, \
                 or the TrueFoundry UI) should use exactly these settings. To change a setting, \
                 add the corrected answer and call volume-interview again."
            }
        }
    }

    /// The functions that size a volume for a known use, for the size question.
    pub(super) fn sizing_functions(self) -> &'static str {
        match self {
            Surface::Interface => "`recommend-size`",
            Surface::Tools | Surface::ReadOnlyTools => {
                "recommend-model-cache-size, recommend-dataset-volume-size or \
                 recommend-checkpoint-volume-size"
            }
        }
    }

    /// The functions that write a PersistentVolume for existing storage, for the
    /// PersistentVolume question.
    pub(super) fn recipe_functions(self) -> &'static str {
        match self {
            Surface::Interface => "`static-volume-recipe`",
            Surface::Tools | Surface::ReadOnlyTools => {
                "aws-efs-volume-recipe, aws-s3-volume-recipe, gcs-volume-recipe, \
                 azure-files-volume-recipe or azure-blob-volume-recipe"
            }
        }
    }
}
