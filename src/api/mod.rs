//! The TrueFoundry API without I/O: requests as plain data ([`endpoints`]), what goes on the
//! wire ([`http`], [`credentials`]), what comes back ([`wire`], [`decode`], [`status`]), and
//! when a request may be sent again ([`retry`]). Nothing here sends anything: the
//! [`http::Transport`] a caller supplies does.

pub mod credentials;
pub mod decode;
pub mod endpoints;
pub mod http;
pub mod retry;
pub mod status;
pub mod wire;

/// Items per page when listing volumes. TrueFoundry's own agent code lists applications 200
/// at a time against real control planes; the largest `limit` `/apps` accepts is
/// UNCONFIRMED (docs/truefoundry-api.md §15 guesses 1000).
pub const LIST_PAGE_SIZE: u32 = 200;
