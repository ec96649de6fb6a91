//! Checking one interview answer against its field's rule, and writing it the one way the
//! rest of the interview reads it (`yes`/`no`, `dynamic`/`static`, a bare number of GiB).

use alloc::format;
use alloc::string::{String, ToString};

use super::Field;
use crate::error::Error;
use crate::input::fqn::WorkspaceFqn;
use crate::input::validate::{self, shown};

/// A yes/no answer that says yes.
pub(super) const YES: &str = "yes";
/// A yes/no answer that says no.
pub(super) const NO: &str = "no";
/// The kind of a volume with new storage.
pub(super) const DYNAMIC: &str = "dynamic";
/// The kind of a volume that wraps a PersistentVolume.
pub(super) const STATIC: &str = "static";
/// The password-secret answer for a Volume Browser without one.
pub(super) const NONE: &str = "none";

/// `value` (already trimmed) as the interview keeps it, or why it is refused.
pub(super) fn check(field: Field, value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err(String::from("the answer is empty"));
    }
    let name = field.name();
    let kept = |checked: crate::Result<()>| checked.map(|()| value.to_string());
    let checked = match field {
        Field::Workspace => WorkspaceFqn::parse(name, value).map(|fqn| fqn.to_string()),
        Field::Kind => return one_of(value, &[DYNAMIC, STATIC]),
        Field::Name => kept(validate::volume_name(name, value)),
        Field::SizeGi => return size_gi(value),
        Field::StorageClass => kept(validate::kubernetes_name(name, "storage class", value)),
        Field::PersistentVolume => kept(validate::kubernetes_name(name, "PersistentVolume", value)),
        Field::Browser | Field::ReplaceFailed | Field::Wait => return yes_or_no(value),
        Field::BrowserHost => kept(validate::endpoint_host(name, value)),
        Field::BrowserPath => kept(validate::endpoint_path(name, value)),
        Field::BrowserUsername => kept(validate::browser_username(name, value)),
        Field::BrowserPasswordSecret if value.eq_ignore_ascii_case(NONE) => {
            return Ok(NONE.to_string())
        }
        Field::BrowserPasswordSecret => kept(validate::secret_fqn(name, value)),
    };
    checked.map_err(problem)
}

/// The rule an invalid answer breaks, without the fix (the question says what to answer).
fn problem(error: Error) -> String {
    match error {
        Error::InvalidInput { problem, .. } => problem,
        other => other.to_string(),
    }
}

/// One of `allowed`, in any letter case.
fn one_of(value: &str, allowed: &[&str]) -> Result<String, String> {
    allowed
        .iter()
        .find(|choice| value.eq_ignore_ascii_case(choice))
        .map(|choice| choice.to_string())
        .ok_or_else(|| {
            let listed: alloc::vec::Vec<String> =
                allowed.iter().map(|choice| format!("`{choice}`")).collect();
            format!("{} is not one of {}", shown(value), listed.join(", "))
        })
}

/// `yes` or `no`; `true`/`false` are taken too, since agents often say so.
fn yes_or_no(value: &str) -> Result<String, String> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(YES.to_string()),
        "no" | "false" => Ok(NO.to_string()),
        _ => Err(format!("{} is neither `yes` nor `no`", shown(value))),
    }
}

/// A whole number of GiB from 1 to 64000, written bare or with a `Gi`/`GiB` unit.
fn size_gi(value: &str) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    let digits = lower
        .strip_suffix("gib")
        .or_else(|| lower.strip_suffix("gi"))
        .unwrap_or(&lower)
        .trim_end();
    let size: u32 = match digits.parse() {
        Ok(size) if digits.bytes().all(|b| b.is_ascii_digit()) => size,
        _ => return Err(format!("{} is not a whole number of GiB", shown(value))),
    };
    validate::size_gi(Field::SizeGi.name(), size).map_err(problem)?;
    Ok(size.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_and_written_one_way() {
        let cases: [(Field, &str, Result<&str, &str>); 16] = [
            (Field::Workspace, "c1:ws1", Ok("c1:ws1")),
            (
                Field::Workspace,
                "ws1",
                Err("`ws1` is not a workspace FQN of the form <cluster>:<workspace>"),
            ),
            (Field::Kind, "Dynamic", Ok("dynamic")),
            (
                Field::Kind,
                "dynamo",
                Err("`dynamo` is not one of `dynamic`, `static`"),
            ),
            (Field::SizeGi, "20", Ok("20")),
            (Field::SizeGi, "20 GiB", Ok("20")),
            (Field::SizeGi, "20Gi", Ok("20")),
            (Field::SizeGi, "0", Err("0 Gi is outside 1 to 64000 Gi")),
            (
                Field::SizeGi,
                "+20",
                Err("`+20` is not a whole number of GiB"),
            ),
            (
                Field::SizeGi,
                "2.5",
                Err("`2.5` is not a whole number of GiB"),
            ),
            (Field::Wait, "TRUE", Ok("yes")),
            (Field::Browser, "no", Ok("no")),
            (
                Field::ReplaceFailed,
                "maybe",
                Err("`maybe` is neither `yes` nor `no`"),
            ),
            (Field::BrowserPasswordSecret, "None", Ok("none")),
            (
                Field::BrowserPasswordSecret,
                "secret",
                Err("`secret` does not start with `tfy-secret://`"),
            ),
            (Field::Name, "", Err("the answer is empty")),
        ];
        for (field, value, expected) in cases {
            let expected = expected.map(String::from).map_err(String::from);
            assert_eq!(check(field, value), expected, "{field:?} {value:?}");
        }
    }
}
