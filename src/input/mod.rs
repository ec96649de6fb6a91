//! What callers pass in, checked before anything is sent: the rules every argument must meet
//! ([`validate`]), fully qualified names ([`fqn`], [`reference`]), and the manifest `create`
//! submits, built only from a request that passed them ([`manifest`]).

pub mod fqn;
pub mod manifest;
pub mod reference;
pub mod validate;
