//! The TrueFoundry API emulator over real HTTP: a tiny HTTP/1.1 client on `std::net::TcpStream`
//! talks to an emulator on loopback, and every test asserts exact statuses and fields. One test
//! binary, one module per concern.

mod access;
mod create;
mod deletion;
mod faults;
mod listing;
mod progress;
mod recording;
mod seeds;
mod state_file;
mod support;
mod updates;
mod workspaces_and_clusters;
