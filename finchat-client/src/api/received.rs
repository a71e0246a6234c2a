//! Ids as the server sent them: one odd id in an answer is kept as its raw text and reported (a
//! `warn!`), never a reason to fail the whole call. Sending stays strict: only valid ids go out.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// An id as received: [`MaybeId::Valid`] when it has the id's shape, else the raw text the server
/// sent ([`MaybeId::Unparsed`]; a value that was not even a string is kept as its JSON text).
///
/// ```
/// use finchat_client::MaybeId;
/// use finchat_cui::Fcid;
///
/// let odd: MaybeId<Fcid> = serde_json::from_str(r#""alice""#).unwrap();
/// assert_eq!(odd, MaybeId::Unparsed("alice".to_owned()));
/// assert_eq!(odd.valid(), None);
/// let alice: MaybeId<Fcid> = serde_json::from_str(r#""@alice:example.org""#).unwrap();
/// assert_eq!(alice.as_str(), "@alice:example.org");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MaybeId<T> {
    /// A valid id.
    Valid(T),
    /// What the server sent, which is not a valid id.
    Unparsed(String),
}

impl<T> MaybeId<T> {
    /// The id, when it is valid.
    pub fn valid(&self) -> Option<&T> {
        match self {
            Self::Valid(id) => Some(id),
            Self::Unparsed(_) => None,
        }
    }

    /// The id, when it is valid.
    pub fn into_valid(self) -> Option<T> {
        match self {
            Self::Valid(id) => Some(id),
            Self::Unparsed(_) => None,
        }
    }

    /// Whether it is a valid id.
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid(_))
    }
}

impl<T: AsRef<str>> MaybeId<T> {
    /// The text, as received.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Valid(id) => id.as_ref(),
            Self::Unparsed(raw) => raw,
        }
    }
}

/// Equal when it is valid and this id.
impl<T: PartialEq> PartialEq<T> for MaybeId<T> {
    fn eq(&self, other: &T) -> bool {
        self.valid() == Some(other)
    }
}

impl<T> From<T> for MaybeId<T> {
    fn from(id: T) -> Self {
        Self::Valid(id)
    }
}

impl<T: AsRef<str>> fmt::Display for MaybeId<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: AsRef<str>> Serialize for MaybeId<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T> Deserialize<'de> for MaybeId<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(read(Value::deserialize(deserializer)?))
    }
}

/// `value` as an id, or kept raw with a warning.
fn read<T>(value: Value) -> MaybeId<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    let (raw, problem) = match value {
        Value::String(text) => match text.parse::<T>() {
            Ok(id) => return MaybeId::Valid(id),
            Err(e) => {
                let problem = e.to_string();
                (text, problem)
            }
        },
        other => (other.to_string(), "not a string".to_owned()),
    };
    tracing::warn!(
        id = %raw,
        %problem,
        "an id in the server's answer is not valid; kept as received"
    );
    MaybeId::Unparsed(raw)
}

/// A list of ids as received: the valid ones, in their order, and the ones that are not (their raw
/// text, each reported by a `warn!`). It reads as the list of valid ids (`for id in &list`,
/// `list.len()`, `list.contains(&id)`, `list == [a, b]`), so only valid ids are sent on;
/// [`IdList::unparsed`] says what was left out. Written back, the unparsed ones follow the valid
/// ones.
///
/// ```
/// use finchat_client::IdList;
/// use finchat_cui::RoomId;
///
/// let rooms: IdList<RoomId> = serde_json::from_str(r#"["!a:example.org", "b"]"#).unwrap();
/// assert_eq!(rooms.ids(), ["!a:example.org".parse::<RoomId>().unwrap()]);
/// assert_eq!(rooms.unparsed(), ["b"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdList<T> {
    ids: Vec<T>,
    unparsed: Vec<String>,
}

impl<T> Default for IdList<T> {
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            unparsed: Vec::new(),
        }
    }
}

impl<T> IdList<T> {
    /// The valid ids.
    pub fn ids(&self) -> &[T] {
        &self.ids
    }

    /// The valid ids.
    pub fn into_ids(self) -> Vec<T> {
        self.ids
    }

    /// What the server sent that is not a valid id, as received (a value that was not a string as
    /// its JSON text).
    pub fn unparsed(&self) -> &[String] {
        &self.unparsed
    }

    /// Whether every id the server sent is valid.
    pub fn all_valid(&self) -> bool {
        self.unparsed.is_empty()
    }

    /// Adds `other`'s ids and unparsed ids after these.
    pub(crate) fn append(&mut self, other: IdList<T>) {
        self.ids.extend(other.ids);
        self.unparsed.extend(other.unparsed);
    }
}

impl<T> Deref for IdList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.ids
    }
}

impl<T> From<Vec<T>> for IdList<T> {
    fn from(ids: Vec<T>) -> Self {
        Self {
            ids,
            unparsed: Vec::new(),
        }
    }
}

impl<T> FromIterator<T> for IdList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T> IntoIterator for IdList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.ids.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a IdList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.ids.iter()
    }
}

/// Equal when every id was valid and the valid ones are these.
impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for IdList<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        self.unparsed.is_empty() && self.ids == other
    }
}

/// Equal when every id was valid and the valid ones are these.
impl<T: PartialEq> PartialEq<[T]> for IdList<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.unparsed.is_empty() && self.ids == other
    }
}

/// Equal when every id was valid and the valid ones are these.
impl<T: PartialEq> PartialEq<Vec<T>> for IdList<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.unparsed.is_empty() && self.ids == *other
    }
}

impl<T: AsRef<str>> Serialize for IdList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.ids
                .iter()
                .map(AsRef::as_ref)
                .chain(self.unparsed.iter().map(String::as_str)),
        )
    }
}

impl<'de, T> Deserialize<'de> for IdList<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    /// A JSON array (`null` reads as empty); each item that is not a valid id is kept raw.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = Option::<Vec<Value>>::deserialize(deserializer)?.unwrap_or_default();
        let mut list = IdList::default();
        for value in values {
            match read::<T>(value) {
                MaybeId::Valid(id) => list.ids.push(id),
                MaybeId::Unparsed(raw) => list.unparsed.push(raw),
            }
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use finchat_cui::Fcid;
    use serde_json::json;

    use super::*;

    #[test]
    fn an_id_list_keeps_the_odd_ids_raw_and_writes_everything_back() {
        let list: IdList<Fcid> =
            serde_json::from_value(json!(["@a:example.org", "not-an-id", 7, "@b:example.org"]))
                .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list.unparsed(), ["not-an-id", "7"]);
        assert!(!list.all_valid());
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            json!(["@a:example.org", "@b:example.org", "not-an-id", "7"])
        );
        let none: IdList<Fcid> = serde_json::from_value(json!(null)).unwrap();
        assert!(none.is_empty() && none.all_valid());
    }

    #[test]
    fn a_maybe_id_reads_any_json_and_writes_its_text() {
        let odd: MaybeId<Fcid> = serde_json::from_value(json!(42)).unwrap();
        assert_eq!(odd, MaybeId::Unparsed("42".into()));
        let valid: MaybeId<Fcid> = serde_json::from_value(json!("@a:b")).unwrap();
        assert!(valid.is_valid());
        assert_eq!(serde_json::to_value(&valid).unwrap(), json!("@a:b"));
        assert_eq!(valid.to_string(), "@a:b");
    }
}
