//! One MCP session: `drivers/mcp_client.py` (the official MCP Python SDK) starts an MCP
//! server over stdio and relays the test's requests to it one at a time, so the test can
//! look at the emulator between two calls.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::support::{drain, driver, HOST_TIMEOUT};

/// How long the driver may take to start the server and see its tools.
const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// The MCP server to start: a program, its arguments and its whole environment.
pub struct ServerCommand {
    pub program: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

/// A running driver process with its MCP server.
pub struct McpSession {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: mpsc::Receiver<String>,
    stderr: Option<mpsc::Receiver<String>>,
    /// The server's `serverInfo` from the `initialize` handshake.
    pub server_info: Value,
}

impl McpSession {
    /// Starts the driver (with the `mcp` package on `PYTHONPATH = site`) and waits until the
    /// server lists its tools; fails the test otherwise.
    pub fn start(site: &Path, server: &ServerCommand) -> McpSession {
        let server_json = json!({
            "command": server.program,
            "args": server.args,
            "env": server
                .env
                .iter()
                .map(|(key, value)| (key.clone(), Value::String(value.clone())))
                .collect::<Map<_, _>>(),
        });
        let mut command = Command::new("python3");
        command
            .arg(driver("mcp_client.py"))
            .arg(server_json.to_string())
            // Only what Python needs: the server's environment is in `server.env`.
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PYTHONPATH", site)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("could not start the MCP driver: {error}"));
        let stdin = child.stdin.take();
        let stderr = drain(child.stderr.take().expect("stderr is piped"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, replies) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = McpSession {
            child,
            stdin,
            replies,
            stderr: Some(stderr),
            server_info: Value::Null,
        };
        let ready = session.reply(READY_TIMEOUT, "the server's tools");
        session.server_info = ready["server"].clone();
        session
    }

    /// `tools/list`: every tool as the server described it (`name`, `description`,
    /// `inputSchema`, `outputSchema`).
    pub fn list_tools(&mut self) -> Vec<Value> {
        let listed = self.request(&json!({"op": "list"}));
        listed["tools"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("tools/list answered {listed}"))
    }

    /// `tools/call`: the `CallToolResult` (`content`, `structuredContent`, `isError`), or
    /// `{"mcp-error": {"code", "message"}}` for a JSON-RPC error.
    pub fn call(&mut self, name: &str, arguments: &Value) -> Value {
        self.request(&json!({"op": "call", "name": name, "arguments": arguments}))
    }

    /// Ends the session (the server stops with its stdin) and returns everything the driver
    /// and the server wrote to stderr.
    pub fn finish(mut self) -> String {
        drop(self.stdin.take());
        let deadline = Instant::now() + HOST_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.take_stderr()
    }

    fn request(&mut self, request: &Value) -> Value {
        let stdin = self.stdin.as_mut().expect("the session is open");
        let sent = writeln!(stdin, "{request}").and_then(|()| stdin.flush());
        if let Err(error) = sent {
            let stderr = self.end_now();
            panic!(
                "the MCP driver stopped reading ({error}) before {request}\n--- stderr\n{stderr}"
            );
        }
        self.reply(HOST_TIMEOUT, &request.to_string())
    }

    /// The next line the driver prints, as JSON; fails the test with its stderr otherwise.
    fn reply(&mut self, timeout: Duration, awaited: &str) -> Value {
        match self.replies.recv_timeout(timeout) {
            Ok(line) => serde_json::from_str(&line).unwrap_or_else(|error| {
                let stderr = self.end_now();
                panic!("the MCP driver printed a non-JSON line ({error}): {line}\n--- stderr\n{stderr}")
            }),
            Err(_) => {
                let stderr = self.end_now();
                panic!("no answer from the MCP driver within {timeout:?} for {awaited}\n--- stderr\n{stderr}")
            }
        }
    }

    /// Kills the driver (its server dies with its stdin) and returns the stderr so far.
    fn end_now(&mut self) -> String {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.take_stderr()
    }

    fn take_stderr(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|rx| rx.recv_timeout(Duration::from_secs(5)).ok())
            .unwrap_or_default()
    }
}

impl Drop for McpSession {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
