//! Every local input rule (docs/truefoundry-api.md §7–§9), one function per rule family.
//!
//! The rules follow the `truefoundry` 0.17.5 Python SDK's generated models (the strictest
//! published validation), so a request we accept is one the control plane accepts too. Each
//! refusal is an [`Error::InvalidInput`] naming the field, the rule, and the fix.

use alloc::format;
use alloc::string::String;

use crate::error::{Error, Result};

/// Smallest dynamic volume, in Gi (docs/truefoundry-api.md §7).
pub const MIN_SIZE_GI: u32 = 1;
/// Largest dynamic volume, in Gi (docs/truefoundry-api.md §7).
pub const MAX_SIZE_GI: u32 = 64_000;

/// `value` for messages: quoted, control characters escaped, long values cut.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::from("`");
    for (index, c) in value.chars().enumerate() {
        if index == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Volume name for `create`: 3–32 characters, `a-z` first, `a-z`/`0-9` last, `a-z`, `0-9`
/// or single `-` between (TrueFoundry's Python SDK 0.17.5 refuses two hyphens in a row).
pub fn volume_name(field: &str, name: &str) -> Result<()> {
    volume_name_rule(field, name, false)
}

/// Volume name inside a reference to an existing volume: as [`volume_name`], but `--` is
/// allowed, because SDK 0.5 let such volumes be created and they still exist.
pub fn existing_volume_name(field: &str, name: &str) -> Result<()> {
    volume_name_rule(field, name, true)
}

fn volume_name_rule(field: &str, name: &str, allow_double_hyphen: bool) -> Result<()> {
    const FIX: &str = "Use 3 to 32 characters: lowercase letters, digits and single hyphens, \
                       starting with a letter and ending with a letter or digit, for example \
                       `training-data`.";
    let refuse = |problem: String| Err(Error::invalid(field, problem, FIX));
    let length = name.chars().count();
    if !(3..=32).contains(&length) {
        return refuse(format!(
            "{} has {length} characters; a volume name has 3 to 32",
            shown(name)
        ));
    }
    let first = name.chars().next().unwrap_or(' ');
    let last = name.chars().last().unwrap_or(' ');
    if !first.is_ascii_lowercase() {
        return refuse(format!(
            "{} must start with a lowercase letter",
            shown(name)
        ));
    }
    if !is_lower_alnum(last) {
        return refuse(format!(
            "{} must end with a lowercase letter or digit",
            shown(name)
        ));
    }
    if let Some(bad) = name.chars().find(|c| !is_lower_alnum(*c) && *c != '-') {
        return refuse(format!(
            "{} contains {}; only lowercase letters, digits and `-` are allowed",
            shown(name),
            shown(&String::from(bad))
        ));
    }
    if !allow_double_hyphen && name.contains("--") {
        return refuse(format!("{} contains two hyphens in a row", shown(name)));
    }
    Ok(())
}

/// Dynamic volume size: an integer number of Gi from 1 to 64000.
pub fn size_gi(field: &str, size: u32) -> Result<()> {
    if (MIN_SIZE_GI..=MAX_SIZE_GI).contains(&size) {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{size} Gi is outside 1 to 64000 Gi"),
        "Give a whole number of gibibytes from 1 to 64000. Volumes can grow later but never \
         shrink, so start with what you need now.",
    ))
}

/// A Kubernetes object name that must be a DNS-1123 subdomain (storage classes and
/// PersistentVolumes): 1–253 characters of `a-z`, `0-9`, `-` and `.`, alphanumeric at both
/// ends.
pub fn kubernetes_name(field: &str, what: &str, name: &str) -> Result<()> {
    let fix = format!(
        "Give the {what} exactly as Kubernetes shows it: lowercase letters, digits, `-` and \
         `.`, starting and ending with a letter or digit."
    );
    let ends_ok = name.chars().next().is_some_and(is_lower_alnum)
        && name.chars().last().is_some_and(is_lower_alnum);
    let chars_ok = name
        .chars()
        .all(|c| is_lower_alnum(c) || c == '-' || c == '.');
    if name.is_empty() || name.len() > 253 || !ends_ok || !chars_ok {
        return Err(Error::invalid(
            field,
            format!("{} is not a valid Kubernetes {what} name", shown(name)),
            fix,
        ));
    }
    Ok(())
}

/// Volume Browser username: 3–10 characters, lowercase letters and digits, a letter first.
pub fn browser_username(field: &str, username: &str) -> Result<()> {
    let length = username.chars().count();
    let ok = (3..=10).contains(&length)
        && username
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
        && username.chars().all(is_lower_alnum);
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!(
            "{} must be 3 to 10 lowercase letters or digits, starting with a letter",
            shown(username)
        ),
        "Use a short lowercase name such as `admin`, or leave `browser.username` unset for `admin`.",
    ))
}

/// Secret reference: `tfy-secret://<tenant>:<group>:<key>` with three non-empty parts.
pub fn secret_fqn(field: &str, fqn: &str) -> Result<()> {
    const FIX: &str = "Create the password secret first (TrueFoundry UI > Secrets), then pass \
                       its FQN as `tfy-secret://<tenant>:<secret-group>:<secret-key>`.";
    if fqn.len() > MAX_SECRET_FQN_BYTES {
        return Err(Error::invalid(
            field,
            format!("{} is longer than {MAX_SECRET_FQN_BYTES} bytes", shown(fqn)),
            FIX,
        ));
    }
    let Some(rest) = fqn.strip_prefix("tfy-secret://") else {
        return Err(Error::invalid(
            field,
            format!("{} does not start with `tfy-secret://`", shown(fqn)),
            FIX,
        ));
    };
    let parts_ok = {
        let mut parts = rest.split(':');
        let three: [Option<&str>; 3] = [parts.next(), parts.next(), parts.next()];
        parts.next().is_none()
            && three.iter().all(|part| {
                part.is_some_and(|p| {
                    !p.is_empty() && !p.chars().any(|c| c.is_whitespace() || c.is_control())
                })
            })
    };
    if !parts_ok {
        return Err(Error::invalid(
            field,
            format!(
                "{} must have exactly three non-empty parts after `tfy-secret://`, separated by `:`",
                shown(fqn)
            ),
            FIX,
        ));
    }
    Ok(())
}

/// Volume Browser host: a dotted name of two or more labels (each 1–63 letters, digits or
/// `-`; the last letters only), or a dotted IPv4 address; not `localhost`; at most 253
/// characters.
pub fn endpoint_host(field: &str, host: &str) -> Result<()> {
    let fix = "Use one of the cluster's base domains, for example `ml.example.com` (drop the \
               `*.` of a wildcard domain). `localhost` and single labels are not accepted.";
    let refuse = |problem: String| Err(Error::invalid(field, problem, fix));
    if host.eq_ignore_ascii_case("localhost") {
        return refuse(String::from("`localhost` is not accepted"));
    }
    if host.is_empty() || host.len() > 253 {
        return refuse(format!("{} must be 1 to 253 characters", shown(host)));
    }
    let labels: alloc::vec::Vec<&str> = host.split('.').collect();
    // Digits only: `u8::from_str` would also take a leading `+`.
    let is_ipv4 = labels.len() == 4
        && labels.iter().all(|label| {
            (1..=3).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_digit())
                && label.parse::<u8>().is_ok()
        });
    if is_ipv4 {
        return Ok(());
    }
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let last_ok = labels
        .last()
        .is_some_and(|last| !last.is_empty() && last.chars().all(|c| c.is_ascii_alphabetic()));
    if labels.len() < 2 || !labels.iter().all(label_ok) || !last_ok {
        return refuse(format!(
            "{} is not a host name of two or more dotted labels (letters, digits, `-`; the \
             last label letters only) nor an IPv4 address",
            shown(host)
        ));
    }
    Ok(())
}

/// Volume Browser path: begins and ends with `/`; each segment alphanumeric, or alphanumeric
/// at both ends with `-`, `_` or `.` inside. `/` alone is fine.
pub fn endpoint_path(field: &str, path: &str) -> Result<()> {
    let fix = "Use a path that begins and ends with `/`, such as `/training-data/` or `/`, with \
               segments of letters, digits, `-`, `_` and `.`.";
    if path.len() > MAX_BROWSER_PATH_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "{} is longer than {MAX_BROWSER_PATH_BYTES} bytes",
                shown(path)
            ),
            fix,
        ));
    }
    if path == "/" {
        return Ok(());
    }
    let Some(inner) = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
    else {
        return Err(Error::invalid(
            field,
            format!("{} must begin and end with `/`", shown(path)),
            fix,
        ));
    };
    let segment_ok = |segment: &str| {
        let ends_ok = segment
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && segment
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        ends_ok
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if let Some(bad) = inner.split('/').find(|segment| !segment_ok(segment)) {
        return Err(Error::invalid(
            field,
            format!(
                "segment {} of {} must be letters and digits, with `-`, `_` or `.` only \
                 between them",
                shown(bad),
                shown(path)
            ),
            fix,
        ));
    }
    Ok(())
}

/// Longest mount path or sub-path accepted, in bytes (Linux's `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;
/// Longest secret FQN accepted, in bytes.
pub const MAX_SECRET_FQN_BYTES: usize = 512;
/// Longest Volume Browser path accepted, in bytes.
pub const MAX_BROWSER_PATH_BYTES: usize = 512;

/// Container mount path: one leading `/` followed by a name (TrueFoundry's `VolumeMount`
/// model refuses `//data`), not `/` alone, no trailing `/`, no empty, `.` or `..` segments,
/// no control characters, at most [`MAX_PATH_BYTES`].
pub fn mount_path(field: &str, path: &str) -> Result<()> {
    let fix = "Use an absolute directory path without a trailing `/`, such as `/data` or \
               `/mnt/models`.";
    let problem = if path.len() > MAX_PATH_BYTES {
        "must be at most 4096 bytes"
    } else if !path.starts_with('/') {
        "must start with `/`"
    } else if path == "/" {
        "must not be `/` alone"
    } else if path.starts_with("//") {
        "must start with exactly one `/`"
    } else if path.ends_with('/') {
        "must not end with `/`"
    } else if path[1..].split('/').any(str::is_empty) {
        "must not contain `//`"
    } else if path[1..]
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        "must not contain a `.` or `..` segment"
    } else if path.chars().any(char::is_control) {
        "must not contain line breaks or other control characters"
    } else {
        return Ok(());
    };
    Err(Error::invalid(
        field,
        format!("{} {problem}", shown(path)),
        fix,
    ))
}

/// Sub-path inside a volume: relative, no leading or trailing `/`, no `..` segment (which
/// Kubernetes refuses), no control characters.
pub fn sub_path(field: &str, path: &str) -> Result<()> {
    let fix = "Use a relative directory inside the volume such as `models` or `runs/2026`, or \
               leave `sub-path` unset to mount the volume's root.";
    let problem = if path.len() > MAX_PATH_BYTES {
        "must be at most 4096 bytes"
    } else if path.is_empty() {
        "must not be empty (leave it unset to mount the root)"
    } else if path.starts_with('/') {
        "must not start with `/`"
    } else if path.ends_with('/') {
        "must not end with `/`"
    } else if path.split('/').any(|segment| segment == "..") {
        "must not contain a `..` segment"
    } else if path.chars().any(char::is_control) {
        "must not contain line breaks or other control characters"
    } else {
        return Ok(());
    };
    Err(Error::invalid(
        field,
        format!("{} {problem}", shown(path)),
        fix,
    ))
}

/// One part of an FQN (cluster id or workspace name): 1–63 characters of letters, digits,
/// `-`, `_` and `.`.
pub(crate) fn fqn_part_ok(part: &str) -> bool {
    (1..=63).contains(&part.len())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Application id as it goes into a URL path: 1–128 letters, digits, `-` and `_`.
pub fn application_id(field: &str, id: &str) -> Result<()> {
    let ok = (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("{} is neither a volume id nor a volume FQN", shown(id)),
        "Pass an id from `list` (letters, digits, `-`, `_`) or an FQN \
         <cluster>:<workspace>:<name>.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<()>) -> Option<String> {
        match result {
            Ok(()) => None,
            Err(Error::InvalidInput { field, .. }) => Some(field),
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    fn check(rule: fn(&str, &str) -> Result<()>, accepted: &[&str], refused: &[&str]) {
        for value in accepted {
            assert_eq!(
                field_of(rule("f", value)),
                None,
                "{value:?} should be accepted"
            );
        }
        for value in refused {
            assert_eq!(
                field_of(rule("f", value)),
                Some(String::from("f")),
                "{value:?} should be refused"
            );
        }
    }

    #[test]
    fn volume_names() {
        check(
            volume_name,
            &[
                "abc",
                "training-data",
                "a1b",
                "v-1-2",
                &"a".repeat(32),
                "model7",
            ],
            &[
                "",
                "ab",
                &"a".repeat(33),
                "1abc",
                "-abc",
                "abc-",
                "Abc",
                "ab_c",
                "ab.c",
                "ab c",
                "a--b",
                "ümlaut",
                "abc\n",
            ],
        );
    }

    #[test]
    fn existing_volume_names_allow_double_hyphen_only() {
        check(
            existing_volume_name,
            &["a--b", "abc"],
            &["ab", "a--", "A--b"],
        );
    }

    #[test]
    fn sizes() {
        for size in [1, 100, 64_000] {
            assert!(size_gi("size-gi", size).is_ok(), "{size}");
        }
        for size in [0, 64_001, u32::MAX] {
            assert_eq!(
                field_of(size_gi("size-gi", size)).as_deref(),
                Some("size-gi")
            );
        }
    }

    #[test]
    fn kubernetes_names() {
        let rule = |field: &str, value: &str| kubernetes_name(field, "storage class", value);
        check(
            rule,
            &[
                "efs-sc",
                "gp3",
                "standard-rwx",
                "a",
                "ebs.csi.aws.com",
                &"a".repeat(253),
            ],
            &[
                "",
                "EFS",
                "-sc",
                "sc-",
                "s c",
                "sc_1",
                &"a".repeat(254),
                "sc\n",
            ],
        );
    }

    #[test]
    fn browser_usernames() {
        check(
            browser_username,
            &["admin", "abc", "user01", "abcdefghij"],
            &[
                "ab",
                "abcdefghijk",
                "1admin",
                "Admin",
                "ad-min",
                "ad_min",
                "",
            ],
        );
    }

    #[test]
    fn secret_fqns() {
        check(
            secret_fqn,
            &["tfy-secret://acme:vol-sg:pw", "tfy-secret://t:g:k"],
            &[
                "acme:vol-sg:pw",
                "my-cluster:my-workspace:vol-browser-pw",
                "tfy-secret://acme:vol-sg",
                "tfy-secret://acme:vol-sg:pw:extra",
                "tfy-secret://acme::pw",
                "tfy-secret://",
                "tfy-secret://a b:c:d",
            ],
        );
    }

    #[test]
    fn endpoint_hosts() {
        check(
            endpoint_host,
            &[
                "ml.example.com",
                "c1.example.com",
                "a.b",
                "10.0.0.12",
                "my-host.example.io",
            ],
            &[
                "localhost",
                "LOCALHOST",
                "example",
                "",
                "ml.example.c0m",
                "ml..com",
                "*.example.com",
                "ml_x.example.com",
                "https://ml.example.com",
                "ml.example.com/",
                &alloc::format!("{}.com", "a".repeat(64)),
                "256.1.1.1.com1",
            ],
        );
    }

    #[test]
    fn endpoint_paths() {
        check(
            endpoint_path,
            &["/", "/my-volume/", "/a/b/", "/v1.2/", "/a_b/"],
            &[
                "",
                "my-volume/",
                "/my-volume",
                "//",
                "/-a/",
                "/a-/",
                "/a b/",
                "/a//b/",
            ],
        );
    }

    #[test]
    fn mount_paths() {
        check(
            mount_path,
            &["/data", "/mnt/models", "/a", "/a.b/.c/..d"],
            &[
                "",
                "data",
                "/",
                "/data/",
                "/da\nta",
                "/da\rta",
                "//data",
                "///data",
                "//a/b",
                "/a//b",
                "/../../etc",
                "/data/..",
                "/./data",
                &format!("/{}", "a".repeat(MAX_PATH_BYTES)),
            ],
        );
    }

    #[test]
    fn secret_fqns_and_browser_paths_are_capped() {
        let long_secret = format!("tfy-secret://a:b:{}", "c".repeat(MAX_SECRET_FQN_BYTES));
        let long_path = format!("/{}/", "p".repeat(MAX_BROWSER_PATH_BYTES));
        check(
            secret_fqn,
            &["tfy-secret://acme:volumes:password"],
            &[&long_secret],
        );
        check(endpoint_path, &["/training-data/"], &[&long_path]);
    }

    #[test]
    fn sub_paths() {
        check(
            sub_path,
            &["models", "runs/2026", "a.b"],
            &["", "/models", "models/", "a/../b", "..", "a\nb"],
        );
    }

    #[test]
    fn application_ids() {
        check(
            application_id,
            &["app-1", "cm8x9abc_12"],
            &["", "a/b", "a?b", "../x", "a b", &"a".repeat(129)],
        );
    }

    #[test]
    fn messages_name_the_value_and_never_break_lines() {
        let Err(Error::InvalidInput { problem, fix, .. }) = mount_path("mount-path", "/da\nta")
        else {
            panic!("expected a refusal");
        };
        assert!(problem.contains("`/da\\nta`"), "{problem}");
        assert!(!problem.contains('\n'));
        assert!(fix.contains("/data"));
    }

    // Found by fuzz/fuzz_targets/validators.rs; input: fuzz/regressions/validators/plus-sign-ipv4.
    // `u8::from_str` accepts a leading `+`, so `endpoint_host` took these for IPv4 addresses and
    // the Volume Browser URL became `https://1.0.0.+2/...`.
    #[test]
    fn endpoint_host_refuses_signed_ipv4_labels() {
        for host in ["1.0.0.+2", "+1.+2.+3.+4", "+10.0.0.1"] {
            assert_eq!(
                field_of(endpoint_host("browser.host", host)).as_deref(),
                Some("browser.host"),
                "{host:?} should be refused"
            );
        }
        for host in ["10.0.0.12", "255.255.255.255", "0.0.0.0"] {
            assert_eq!(
                field_of(endpoint_host("browser.host", host)),
                None,
                "{host:?}"
            );
        }
    }
}
