//! A control plane that answers however a test scripts it, byte for byte: what a broken,
//! malicious or compromised TrueFoundry server would send. Plain threads and raw TCP on
//! loopback, so a test can send what no well-behaved HTTP library would (a `Content-Length`
//! beside `Transfer-Encoding: chunked`, a body trickled a byte at a time), and every request
//! is recorded as it arrived.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The request target: path and raw query.
    pub target: String,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Seen {
    /// `METHOD target`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.target)
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// How to answer one request.
pub enum Reply {
    /// A JSON body with this status and a correct `Content-Length`.
    Json(u16, Value),
    /// These bytes, exactly, then close.
    Raw(Vec<u8>),
    /// A 200 head announcing a large body, then one byte every `every`, for at most
    /// `for_at_most`: never idle long enough for a between-bytes timeout.
    Trickle {
        /// Pause between bytes.
        every: Duration,
        /// When to give up.
        for_at_most: Duration,
    },
}

impl Reply {
    /// `body`, already JSON text (for example with escapes a serializer would not write),
    /// with this status and a correct `Content-Length`.
    pub fn json_text(status: u16, body: &str) -> Reply {
        Reply::Raw(
            format!(
                "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }
}

/// Fails when `shown` holds any 8 consecutive characters of `key`: a clipped or split key is
/// a leak too.
pub fn assert_no_key(key: &str, shown: &str) {
    for start in 0..=key.len().saturating_sub(8) {
        let window = &key[start..(start + 8).min(key.len())];
        assert!(
            !shown.contains(window),
            "`{window}` of the key leaked: {shown}"
        );
    }
}

/// The scripted server; it stops when dropped.
pub struct Hostile {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

impl Hostile {
    /// Starts a server on `127.0.0.1` (a free port) answering with `handler`.
    pub fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("its address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let (seen, stop) = (seen.clone(), stop.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (seen, stop, handler) =
                                (seen.clone(), stop.clone(), handler.clone());
                            thread::spawn(move || serve(stream, &seen, &stop, &*handler));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
            });
        }
        Hostile { addr, seen, stop }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request, in arrival order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .map(|seen| seen.clone())
            .unwrap_or_default()
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads requests from one connection and answers each; the connection closes after each
/// answer (`Connection: close`).
fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, stop: &AtomicBool, handler: &Handler) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    if let Ok(mut seen) = seen.lock() {
        seen.push(request.clone());
    }
    match handler(&request) {
        Reply::Json(status, body) => {
            let body = serde_json::to_vec(&body).expect("JSON serializes");
            let head = format!(
                "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(&body);
        }
        Reply::Raw(bytes) => {
            let _ = writer.write_all(&bytes);
        }
        Reply::Trickle { every, for_at_most } => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                        content-length: 1000000\r\nconnection: close\r\n\r\n";
            if writer.write_all(head.as_bytes()).is_err() {
                return;
            }
            let started = Instant::now();
            while started.elapsed() < for_at_most && !stop.load(Ordering::Relaxed) {
                if writer
                    .write_all(b" ")
                    .and_then(|()| writer.flush())
                    .is_err()
                {
                    return;
                }
                thread::sleep(every);
            }
        }
    }
    let _ = writer.flush();
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        target,
        headers,
        body,
    })
}
