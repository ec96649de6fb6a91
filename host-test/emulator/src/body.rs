//! The response body type: a whole buffer, or one of the deliberately broken bodies faults use.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// Filler for [`ResponseBody::Huge`]; one static chunk reused, so a huge body costs no memory.
static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// How long a truncated body waits before failing, so hyper flushes the half it wrote first
/// (a body error makes hyper drop the connection without flushing its buffer).
const FLUSH_PAUSE: Duration = Duration::from_millis(50);

/// A response body.
pub(crate) enum ResponseBody {
    /// The whole body at once (`None` once sent).
    Full(Option<Bytes>),
    /// Advertise `declared` bytes, send `head`, then fail so the connection closes early.
    Truncated {
        head: Option<Bytes>,
        declared: u64,
        pause: Option<Pin<Box<Sleep>>>,
    },
    /// `prefix` then `remaining` filler bytes, in chunks.
    Huge {
        prefix: Option<Bytes>,
        remaining: u64,
    },
}

impl ResponseBody {
    /// A complete body.
    pub(crate) fn full(bytes: impl Into<Bytes>) -> ResponseBody {
        ResponseBody::Full(Some(bytes.into()))
    }

    /// The first half of `whole`, advertised at its full length.
    pub(crate) fn truncated(whole: Vec<u8>) -> ResponseBody {
        let declared = whole.len() as u64;
        let mut head = Bytes::from(whole);
        head.truncate(head.len() / 2);
        ResponseBody::Truncated {
            head: Some(head),
            declared,
            pause: None,
        }
    }

    /// `prefix` followed by `filler` bytes of `x`.
    pub(crate) fn huge(prefix: &'static str, filler: u64) -> ResponseBody {
        ResponseBody::Huge {
            prefix: Some(Bytes::from_static(prefix.as_bytes())),
            remaining: filler,
        }
    }
}

/// The error a truncated body ends with; hyper answers it by closing the connection.
#[derive(Debug)]
pub(crate) struct BodyCut;

impl std::fmt::Display for BodyCut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("response body deliberately cut short (TruncatedBody fault)")
    }
}

impl std::error::Error for BodyCut {}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = BodyCut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyCut>>> {
        match self.get_mut() {
            ResponseBody::Full(data) => Poll::Ready(data.take().map(|b| Ok(Frame::data(b)))),
            ResponseBody::Truncated { head, pause, .. } => {
                if let Some(head) = head.take().filter(|h| !h.is_empty()) {
                    return Poll::Ready(Some(Ok(Frame::data(head))));
                }
                let sleep = pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(FLUSH_PAUSE)));
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(BodyCut))),
                    Poll::Pending => Poll::Pending,
                }
            }
            ResponseBody::Huge { prefix, remaining } => {
                if let Some(prefix) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(prefix))));
                }
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let n = usize::try_from(*remaining)
                    .unwrap_or(FILLER.len())
                    .min(FILLER.len());
                *remaining -= n as u64;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&FILLER[..n])))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ResponseBody::Full(data) => data.is_none(),
            ResponseBody::Truncated { .. } => false,
            ResponseBody::Huge { prefix, remaining } => prefix.is_none() && *remaining == 0,
        }
    }

    /// Exact sizes, so hyper sends `Content-Length` (the full one, for a truncated body).
    fn size_hint(&self) -> SizeHint {
        let len = match self {
            ResponseBody::Full(data) => data.as_ref().map_or(0, |b| b.len() as u64),
            ResponseBody::Truncated { declared, .. } => *declared,
            ResponseBody::Huge { prefix, remaining } => prefix
                .as_ref()
                .map_or(0, |p| p.len() as u64)
                .saturating_add(*remaining),
        };
        SizeHint::with_exact(len)
    }
}
