//! A volume named by its application id or by its FQN, as every single-volume call takes it.

use alloc::string::{String, ToString};

use super::fqn::VolumeFqn;
use super::validate;
use crate::error::Result;

/// A volume named by application id or by FQN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeRef {
    /// An application id.
    Id(String),
    /// `<cluster>:<workspace>:<name>`.
    Fqn(VolumeFqn),
}

impl VolumeRef {
    /// An id (no `:`) or an FQN (with or without `tfy-volume://`); `field` names the
    /// argument in errors.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let text = text.trim();
        if text.contains(':') {
            return VolumeFqn::parse(field, text).map(VolumeRef::Fqn);
        }
        validate::application_id(field, text)?;
        Ok(VolumeRef::Id(text.to_string()))
    }
}
