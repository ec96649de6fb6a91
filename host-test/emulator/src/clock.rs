//! Wall-clock time as the emulator keeps it (`SystemTime`) and shows it: RFC 3339 UTC to the
//! second in responses, to the millisecond in the state file.

use std::time::SystemTime;

/// The current wall-clock time.
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the shape of the real API's timestamps (e.g. `2023-11-07T05:31:56Z`).
/// A time before 1970 (a broken clock) shows as the epoch rather than failing a request.
pub(crate) fn iso8601(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at.max(SystemTime::UNIX_EPOCH)).to_string()
}

/// Serde for a `SystemTime` as an RFC 3339 string with milliseconds, so a state file stays
/// readable and keeps enough precision for deployments that progress by wall-clock time.
pub(crate) mod rfc3339 {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `at` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    pub(crate) fn serialize<S: Serializer>(at: &SystemTime, out: S) -> Result<S::Ok, S::Error> {
        let at = (*at).max(SystemTime::UNIX_EPOCH);
        out.collect_str(&humantime::format_rfc3339_millis(at))
    }

    /// Reads an RFC 3339 UTC timestamp.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(input)?;
        humantime::parse_rfc3339(&text).map_err(|error| {
            serde::de::Error::custom(format!("{text:?} is not an RFC 3339 UTC time: {error}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::iso8601;

    #[test]
    fn formats_known_instants() {
        for (secs, want) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_699_335_116, "2023-11-07T05:31:56Z"),
            (1_770_733_800, "2026-02-10T14:30:00Z"),
        ] {
            assert_eq!(
                iso8601(UNIX_EPOCH + Duration::from_secs(secs)),
                want,
                "{secs}"
            );
        }
        let before_epoch = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(iso8601(before_epoch), "1970-01-01T00:00:00Z");
    }
}
