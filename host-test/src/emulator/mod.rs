//! TrueFoundry control-plane emulator (being written).
