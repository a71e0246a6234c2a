//! The template's own tags, in place of Rust's `for` and `if`: `<for each={list} as="name">…</for>`
//! and `<if test={value}>…</if>` / `<if not={value}>…</if>`. They stand among elements, options and
//! text alike; their children are read as the children of where they stand.

use finchat_cui_rules::grammar::Sink;

use super::data::DataPath;
use super::error::Mistakes;
use super::syntax::{Element, Node as Markup, RawAttr, RawValue};
use super::tree::{Bound, Item};

const FOR: &str = "for";
const IF: &str = "if";

/// Whether `element` is `<for>` or `<if>`.
pub(super) fn is_control(element: &Element) -> bool {
    element.name == FOR || element.name == IF
}

/// `<for>` or `<if>` around children that `walk` reads; `None` when its attributes are wrong (each
/// mistake reported, the children's too).
pub(super) fn control<T>(
    element: Element,
    errors: &mut Mistakes,
    walk: impl FnOnce(Vec<Markup>, &mut Mistakes) -> Vec<Item<T>>,
) -> Option<Item<T>> {
    let is_for = element.name == FOR;
    let names: [&str; 2] = if is_for {
        ["each", "as"]
    } else {
        ["test", "not"]
    };
    let mut given: Vec<&RawAttr> = Vec::new();
    let mut ok = true;
    for attr in &element.attrs {
        if !names.contains(&attr.name.as_str()) {
            let expected = format!("`{}` and `{}`", names[0], names[1]);
            errors.error(
                attr.pos,
                format!(
                    "unknown attribute `{}` on `<{}>`; expected {expected}",
                    attr.name, element.name
                ),
            );
            ok = false;
        } else if given.iter().any(|g| g.name == attr.name) {
            errors.error(
                attr.pos,
                format!("`{}` is given twice on `<{}>`", attr.name, element.name),
            );
            ok = false;
        } else {
            given.push(attr);
        }
    }
    let get = |name: &str| given.iter().find(|a| a.name == name).copied();
    let pos = element.name_pos;
    let head = if is_for {
        let each = get("each").and_then(|each| bound(each, errors));
        let name = get("as").and_then(|name| item_name(name, errors));
        let missing: Vec<&str> = names.into_iter().filter(|n| get(n).is_none()).collect();
        if !missing.is_empty() {
            let missing = missing.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            errors.error(
                pos,
                format!(
                    "`<for>` needs {}: `<for each={{items}} as=\"item\">…</for>`",
                    missing.join(" and ")
                ),
            );
        }
        each.zip(name).map(|(each, name)| Head::For { each, name })
    } else {
        match (get("test"), get("not")) {
            (Some(test), None) | (None, Some(test)) => bound(test, errors).map(|b| Head::If {
                test: b,
                negate: test.name == "not",
            }),
            _ => {
                errors.error(
                    pos,
                    "`<if>` takes one of `test={value}` and `not={value}`".into(),
                );
                None
            }
        }
    };
    let body = walk(element.children, errors);
    let item = match head? {
        Head::For { each, name } => Item::For { each, name, body },
        Head::If { test, negate } => Item::If { test, negate, body },
    };
    ok.then_some(item)
}

/// What a `<for>` or `<if>` was given.
enum Head {
    For { each: Bound, name: String },
    If { test: Bound, negate: bool },
}

/// The `{path}` an attribute must be.
fn bound(attr: &RawAttr, errors: &mut Mistakes) -> Option<Bound> {
    match &attr.value {
        Some((RawValue::Bind(path), at)) => Some(Bound {
            path: path.clone(),
            pos: *at,
        }),
        other => {
            let at = other.as_ref().map_or(attr.pos, |(_, at)| *at);
            let name = &attr.name;
            errors.error(
                at,
                format!("`{name}` takes a path into the data: `{name}={{items}}`"),
            );
            None
        }
    }
}

/// The name `as="…"` binds each item to.
fn item_name(attr: &RawAttr, errors: &mut Mistakes) -> Option<String> {
    match &attr.value {
        Some((RawValue::Str(name), _)) if DataPath::parse(name).is_some_and(|p| p.is_name()) => {
            Some(name.clone())
        }
        other => {
            let at = other.as_ref().map_or(attr.pos, |(_, at)| *at);
            errors.error(
                at,
                "`as` takes the name each item is bound to: `as=\"item\"`".into(),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::template::Template;

    fn mistakes(source: &str) -> Vec<String> {
        Template::parse(source)
            .unwrap_err()
            .iter()
            .map(|e| format!("{}: {}", e.position, e.message))
            .collect()
    }

    #[test]
    fn for_needs_a_list_path_and_a_name() {
        assert_eq!(
            mistakes(r#"<form><for each="x" as="a b" by={y}><text>"t"</text></for></form>"#),
            [
                "1:30: unknown attribute `by` on `<for>`; expected `each` and `as`",
                "1:17: `each` takes a path into the data: `each={items}`",
                "1:24: `as` takes the name each item is bound to: `as=\"item\"`",
            ]
        );
        assert_eq!(
            mistakes(r#"<form><for each={x}><text>"t"</text></for></form>"#),
            ["1:8: `<for>` needs `as`: `<for each={items} as=\"item\">…</for>`"]
        );
    }

    #[test]
    fn if_takes_test_or_not() {
        assert_eq!(
            mistakes(r#"<text><if test={a} not={b}>"x"</if></text>"#),
            ["1:8: `<if>` takes one of `test={value}` and `not={value}`"]
        );
        assert_eq!(
            mistakes(r#"<text><if test={a} test={b}>"x"</if></text>"#),
            ["1:20: `test` is given twice on `<if>`"]
        );
    }

    #[test]
    fn the_children_of_for_and_if_are_checked_as_where_they_stand() {
        assert_eq!(
            mistakes(r#"<form><if test={a}>"loose"<slider/></if></form>"#),
            [
                "1:20: text cannot stand directly inside `<form>`; wrap it in `<text>…</text>`",
                "1:28: unknown tag `<slider>`; expected one of `<text>`, `<divider>`, `<image>`, `<input>`, `<dropdown>`, `<reply>`, `<submit>`, `<openurl>`",
            ]
        );
    }
}
