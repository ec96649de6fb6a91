//! The operations that reach the control plane, over any [`Transport`] and [`Clock`].
//!
//! [`Client`] is the whole public surface, in one place: each method checks its arguments
//! locally, then runs one operation of a child module inside the [`session`] (which owns the
//! credentials, sends every request, retries, maps statuses to errors and keeps the key out
//! of every result). The children are `read` (list, get, status), `create`, `wait`, `expand`,
//! `delete`, `preflight` (online checks and a cluster's storage) and `interview` (what the
//! volume interview needs to know online); they see the session, nobody else does.

pub mod clock;
mod create;
mod delete;
mod expand;
mod interview;
mod preflight;
mod read;
mod session;
mod wait;

use alloc::vec::Vec;

pub use self::clock::Clock;
pub use self::delete::{DELETE_CHECK_INTERVAL_SECONDS, DELETE_TIMEOUT_SECONDS};
pub use self::read::{MAX_LISTED_BYTES, MAX_LISTED_VOLUMES};
use self::session::Session;
use self::wait::WaitPolicy;
pub use self::wait::{DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS};
use crate::api::credentials::Credentials;
use crate::api::http::Transport;
use crate::error::Result;
use crate::input::fqn::WorkspaceFqn;
use crate::input::manifest;
use crate::input::reference::VolumeRef;
use crate::input::validate;
use crate::model::{CreatePlan, CreateRequest, ExpandRequest, Volume, VolumeStatus, WaitOptions};
use crate::offline::interview::{self as questions, Answer, Answers, Step, Surface};
use crate::offline::plan;
use crate::offline::storage_class::ClusterStorage;

/// Runs volume operations against the control plane named by its credentials.
///
/// The credentials are checked lazily, so a call with invalid arguments is refused as
/// [`crate::Error::InvalidInput`] even when the environment is incomplete.
pub struct Client<T, C> {
    session: Session<T, C>,
}

impl<T: Transport, C: Clock> Client<T, C> {
    /// A client whose credentials come from environment variables (see
    /// [`Credentials::from_env`]).
    pub fn from_env<I, K, V>(variables: I, transport: T, clock: C) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        Client {
            session: Session::new(Credentials::from_env(variables), transport, clock),
        }
    }

    /// A client with known credentials.
    pub fn new(credentials: Credentials, transport: T, clock: C) -> Self {
        Client {
            session: Session::new(Ok(credentials), transport, clock),
        }
    }

    /// Creates a volume; refuses with [`crate::Error::AlreadyExists`] when the name is taken.
    /// With `request.wait`, follows the deployment until the volume runs.
    pub fn create(&mut self, request: &CreateRequest) -> Result<Volume> {
        let valid = manifest::from_request(request)?;
        let wait = request.wait.map(WaitPolicy::from_options).transpose()?;
        self.session
            .run(|session| create::create(session, &valid, wait))
    }

    /// Creates the volume a complete set of volume interview answers describes (checked
    /// offline first: a missing or refused answer is an [`crate::Error::InvalidInput`]
    /// naming it and its question, and nothing is sent).
    pub fn create_from_answers(&mut self, answers: &[Answer]) -> Result<Volume> {
        let request = questions::request(&Answers::new(answers))?;
        self.create(&request)
    }

    /// The volume interview's next step for the answers so far: the next question, or the
    /// plan to confirm. Once the workspace and the name are answered it reads them (and the
    /// workspace's cluster) like [`Client::preflight`]; without credentials it goes on
    /// offline.
    pub fn interview(&mut self, answers: &[Answer], surface: Surface) -> Result<Step> {
        let answers = Answers::new(answers);
        self.session
            .run(|session| interview::next(session, &answers, surface))
    }

    /// Every volume of a workspace, all pages, sorted by name.
    pub fn list(&mut self, workspace_fqn: &str) -> Result<Vec<Volume>> {
        let workspace = WorkspaceFqn::parse("workspace-fqn", workspace_fqn)?;
        self.session.run(|session| read::list(session, &workspace))
    }

    /// One volume by application id or by FQN (with or without `tfy-volume://`).
    pub fn get(&mut self, volume: &str) -> Result<Volume> {
        let reference = VolumeRef::parse("volume", volume)?;
        self.session.run(|session| read::fetch(session, &reference))
    }

    /// The status of a volume's latest deployment.
    pub fn status(&mut self, volume: &str) -> Result<VolumeStatus> {
        self.get(volume).map(|volume| volume.status)
    }

    /// Follows a volume's latest deployment until it settles; returns the running volume.
    pub fn wait(&mut self, volume: &str, options: Option<WaitOptions>) -> Result<Volume> {
        let reference = VolumeRef::parse("volume", volume)?;
        let policy = WaitPolicy::from_options(options.unwrap_or_default())?;
        self.session
            .run(|session| wait::follow(session, &reference, policy))
    }

    /// Grows a dynamic volume to `request.new_size_gi`.
    pub fn expand(&mut self, request: &ExpandRequest) -> Result<Volume> {
        validate::size_gi("new-size-gi", request.new_size_gi)?;
        let reference = VolumeRef::parse("volume", &request.volume)?;
        let wait = request.wait.map(WaitPolicy::from_options).transpose()?;
        self.session
            .run(|session| expand::expand(session, request, &reference, wait))
    }

    /// Deletes a volume named by id or FQN; `confirm_name` must repeat its name. Waits, up
    /// to [`DELETE_TIMEOUT_SECONDS`], until the control plane has finished, and returns the
    /// volume as it was.
    pub fn delete(&mut self, volume: &str, confirm_name: &str) -> Result<Volume> {
        let reference = VolumeRef::parse("volume", volume)?;
        validate::existing_volume_name("confirm-name", confirm_name.trim())?;
        self.session
            .run(|session| delete::delete(session, &reference, confirm_name.trim()))
    }

    /// The storage classes and browser hosts of a workspace's cluster.
    pub fn storage_classes(&mut self, workspace_fqn: &str) -> Result<ClusterStorage> {
        let workspace = WorkspaceFqn::parse("workspace-fqn", workspace_fqn)?;
        self.session
            .run(|session| preflight::storage_classes(session, &workspace))
    }

    /// [`plan::plan`], checked against the control plane with read-only requests.
    pub fn preflight(&mut self, request: &CreateRequest) -> Result<CreatePlan> {
        let valid = manifest::from_request(request)?;
        let offline = plan::describe(&valid);
        self.session
            .run(|session| preflight::preflight(session, &valid, offline))
    }
}

#[cfg(test)]
mod tests;
