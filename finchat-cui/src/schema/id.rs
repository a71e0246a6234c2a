//! The versioned `$id` every schema carries.
//!
//! `https://finchat-cui.dev/schema/<version>/<name>.json`, where `<version>` is this crate's version
//! (the schemas change with the crate, not with the CUI protocol's `version`) and `<name>` is
//! `content`, `cui`, `card`, `submission`, or `form/<title>` for a form (its title percent-encoded).
//! An `$id` names a schema; it is not where to download it: `finchat schema` writes the files.

/// Where every `$id` starts, before the crate version.
const BASE: &str = "https://finchat-cui.dev/schema";

/// The `$id` of the schema named `name` (`card`, `form/…`).
pub(crate) fn of(name: &str) -> String {
    format!("{BASE}/{}/{name}.json", env!("CARGO_PKG_VERSION"))
}

/// The `$id` of a form's schema, named by the form's title, percent-encoded so that a title in any
/// script gives a valid URI.
pub(crate) fn of_form(title: &str) -> String {
    // `None` is for "", "." and "..", which are plain file names once `.json` follows them.
    let segment = crate::render::links::path_segment(title).unwrap_or_else(|| title.to_owned());
    of(&format!("form/{segment}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_carries_the_crate_version_and_the_name() {
        assert_eq!(
            of("card"),
            format!(
                "https://finchat-cui.dev/schema/{}/card.json",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn a_form_title_in_any_script_is_percent_encoded() {
        assert!(
            of_form("报销 审批").ends_with("/form/%E6%8A%A5%E9%94%80%20%E5%AE%A1%E6%89%B9.json")
        );
        assert!(of_form("Expense_v2.1").ends_with("/form/Expense_v2.1.json"));
        assert!(of_form("..").ends_with("/form/...json"));
    }
}
