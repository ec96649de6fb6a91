//! Everything that needs no control plane: the confirmation [`plan`] of a create, mount
//! [`snippet`]s, sizing and storage [`advice`], the usual [`storage_class`]es of each cloud,
//! [`static_volume`] recipes, LLM [`cache_volume`] blocks, and the volume [`interview`]
//! (whose facts from the control plane the client gathers). Pure functions of their input.

pub mod advice;
pub mod cache_volume;
pub mod interview;
pub mod plan;
pub mod snippet;
pub mod static_volume;
pub mod storage_class;
