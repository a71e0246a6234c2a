//! Writing what cannot derive `Serialize`: content, which opens with its constant `msgtype`, and
//! elements, which open with their constant `type` and `subtype` (the plain types, such as [`Card`]
//! and the `info` objects, derive it). Kept unknown fields are written last.
//!
//! [`Card`]: crate::Card

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::content::{
    CuiContent, FileContent, ImageContent, MessageContent, TextCardContent, TextContent,
};
use crate::element::{Divider, Dropdown, Element, Image, OpenUrl, Reply, Submit, Text, TextInput};

/// Writes `"key": value` pairs and then the kept unknown fields.
struct MapWriter<M>(M);

impl<M: SerializeMap> MapWriter<M> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    fn opt<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    fn extra(&mut self, extra: &Map<String, Value>) -> Result<(), M::Error> {
        for (key, value) in extra {
            self.0.serialize_entry(key, value)?;
        }
        Ok(())
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

fn begin<S: Serializer>(
    serializer: S,
    msgtype: &str,
) -> Result<MapWriter<S::SerializeMap>, S::Error> {
    let mut map = MapWriter(serializer.serialize_map(None)?);
    map.field("msgtype", msgtype)?;
    Ok(map)
}

impl TextContent {
    fn write<S: Serializer>(&self, serializer: S, msgtype: &str) -> Result<S::Ok, S::Error> {
        let mut map = begin(serializer, msgtype)?;
        map.field("body", &self.body)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for TextContent {
    /// Serialises as `m.text` content.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write(serializer, "m.text")
    }
}

impl Serialize for TextCardContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = begin(serializer, "m.textcard")?;
        map.field("body", &self.body)?;
        map.field("info", &self.info)?;
        map.opt("o_url", &self.o_url)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for ImageContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = begin(serializer, "m.image")?;
        map.field("body", &self.body)?;
        map.opt("info", &self.info)?;
        map.field("o_url", &self.o_url)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for FileContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = begin(serializer, "m.file")?;
        map.field("body", &self.body)?;
        map.opt("info", &self.info)?;
        map.field("o_url", &self.o_url)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for CuiContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = begin(serializer, "m.cui")?;
        map.field("version", &self.version)?;
        map.field("body", &self.body)?;
        map.field("info", &self.info)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for MessageContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(c) => c.write(serializer, "m.text"),
            Self::Alert(c) => c.write(serializer, "m.alert"),
            Self::TextCard(c) => c.serialize(serializer),
            Self::Image(c) => c.serialize(serializer),
            Self::File(c) => c.serialize(serializer),
            Self::Cui(c) => c.serialize(serializer),
            Self::Other(c) => c.raw.serialize(serializer),
        }
    }
}

fn tagged<S: Serializer>(
    serializer: S,
    ty: &str,
    subtype: &str,
) -> Result<MapWriter<S::SerializeMap>, S::Error> {
    let mut map = MapWriter(serializer.serialize_map(None)?);
    map.field("type", ty)?;
    map.field("subtype", subtype)?;
    Ok(map)
}

macro_rules! serialize_as_element {
    ($($ty:ident),*) => {$(
        impl Serialize for $ty {
            /// Serialises the whole element, `type` and `subtype` included.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.write(serializer)
            }
        }
    )*};
}

serialize_as_element!(
    Text, Divider, Image, TextInput, Dropdown, Submit, Reply, OpenUrl
);

impl Text {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "context", "text")?;
        map.field("value", &self.value)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Divider {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "divider", "divider")?;
        if let Some(height) = self.height {
            map.field("height", &height.to_string())?;
        }
        map.opt("background", &self.background)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Image {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "image", "image")?;
        map.field("o_url", &self.o_url)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl TextInput {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "input", "text-input")?;
        map.field("key", &self.key)?;
        map.opt("placeholder", &self.placeholder)?;
        map.opt("value", &self.value)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Dropdown {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "input", "dropdown-input")?;
        map.field("key", &self.key)?;
        map.opt("placeholder", &self.placeholder)?;
        map.field("value", &self.value)?;
        map.field("options", &self.options)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Submit {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "submit")?;
        map.field("value", &self.value)?;
        map.field("action", "submit")?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Reply {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "reply")?;
        map.field("key", &self.key)?;
        map.field("value", &self.value)?;
        map.opt("status", &self.status)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl OpenUrl {
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = tagged(serializer, "button", "openurl")?;
        map.field("value", &self.value)?;
        map.field("action", &self.action)?;
        map.extra(&self.extra)?;
        map.end()
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(e) => e.write(serializer),
            Self::Divider(e) => e.write(serializer),
            Self::Image(e) => e.write(serializer),
            Self::TextInput(e) => e.write(serializer),
            Self::Dropdown(e) => e.write(serializer),
            Self::Submit(e) => e.write(serializer),
            Self::Reply(e) => e.write(serializer),
            Self::OpenUrl(e) => e.write(serializer),
            Self::Other(e) => e.raw.serialize(serializer),
        }
    }
}
