//! The data a template is rendered with: `{path}`s into a JSON value, the names `<for>` binds, and
//! what counts as true.

use std::fmt;

use serde_json::Value;

/// `name`, `a.b`, `items.0`: fields and list indexes from the data, or from a name `<for>` binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DataPath(Vec<String>);

impl DataPath {
    /// The path written inside `{…}`; `None` when it is not one.
    pub fn parse(text: &str) -> Option<DataPath> {
        let segments: Vec<String> = text.split('.').map(str::to_owned).collect();
        let ok = segments.iter().enumerate().all(|(i, segment)| {
            let mut chars = segment.chars();
            match chars.next() {
                Some(c) if c.is_alphabetic() || c == '_' => {
                    chars.all(|c| c.is_alphanumeric() || c == '_')
                }
                Some(c) if c.is_ascii_digit() && i > 0 => {
                    segment.bytes().all(|b| b.is_ascii_digit())
                }
                _ => false,
            }
        });
        ok.then_some(DataPath(segments))
    }

    /// The first name: a field of the data, or a name `<for>` binds.
    pub fn head(&self) -> &str {
        &self.0[0]
    }

    /// Whether the path is one plain name (what `as=` takes).
    pub fn is_name(&self) -> bool {
        self.0.len() == 1
    }
}

impl fmt::Display for DataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// The data of one rendering: the root value and the names bound by the `<for>`s around a node.
pub(super) struct Scope<'a> {
    pub root: &'a Value,
    pub names: Vec<(&'a str, &'a Value)>,
}

impl<'a> Scope<'a> {
    /// The value at `path`; the error says which step is missing.
    pub fn lookup(&self, path: &DataPath) -> Result<&'a Value, String> {
        let (mut value, rest) = match self.names.iter().rev().find(|(n, _)| *n == path.head()) {
            Some((_, value)) => (*value, &path.0[1..]),
            None => (self.root, &path.0[..]),
        };
        for (i, segment) in rest.iter().enumerate() {
            let next = match value {
                Value::Object(map) => map.get(segment),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            value = next.ok_or_else(|| {
                let done = path.0.len() - rest.len() + i;
                if done == 0 {
                    format!("`{path}`: the data has no `{segment}`")
                } else {
                    format!(
                        "`{path}`: `{}` has no `{segment}`",
                        path.0[..done].join(".")
                    )
                }
            })?;
        }
        Ok(value)
    }
}

/// Whether a value counts as true for `<if>`: everything but `false`, `null`, `""`, `0`, `[]` and `{}`.
pub(super) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// A value as text: a string as it is, a number or boolean as JSON writes it, `null` as nothing.
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_names_and_indexes_joined_by_dots() {
        for ok in ["a", "a.b", "items.0", "a_1.b2.10", "名字"] {
            assert!(DataPath::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", ".a", "a.", "a..b", "0", "a.b c", "a[0]", "a-b"] {
            assert!(DataPath::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_name_bound_by_for_hides_a_field_of_the_same_name() {
        let root = json!({"a": 1, "b": {"c": [10, 20]}});
        let item = json!({"c": "inner"});
        let scope = Scope {
            root: &root,
            names: vec![("b", &item)],
        };
        let path = |p| DataPath::parse(p).unwrap();
        assert_eq!(scope.lookup(&path("a")), Ok(&json!(1)));
        assert_eq!(scope.lookup(&path("b.c")), Ok(&json!("inner")));
        assert_eq!(
            scope.lookup(&path("b.d.e")),
            Err("`b.d.e`: `b` has no `d`".to_owned())
        );
    }
}
