//! Reading and writing [`MessageContent`]. `msgtype` may come anywhere in the object; when it comes
//! before `info` (as this library writes it), an `m.cui` card is read straight into its types.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::card_serde::CardOrRaw;
use crate::content::{
    CuiContent, FileContent, FileInfo, ImageContent, ImageInfo, MessageContent, OtherContent,
    TextCardContent, TextCardInfo, TextContent,
};
use crate::fields_serde::{
    FieldError, FieldErrors, Fields, MapWriter, SlotKey, SlotKeySeed, all_checks, json_type,
};
use crate::problem::{Path, ProblemKind};
use crate::{Card, HttpUrl, MxcUri, OpenType, Version};

const MSGTYPE: usize = 0;
const BODY: usize = 1;
const VERSION: usize = 2;
const INFO: usize = 3;
const O_URL: usize = 4;
const NAMES: &[&str; 5] = &["msgtype", "body", "version", "info", "o_url"];

type ContentFields = Fields<5>;

/// A content object being read: its fields, and the card when `info` was read as one.
struct Parts {
    fields: ContentFields,
    card: Option<Card>,
    card_errors: FieldErrors,
}

impl Parts {
    fn set_info(&mut self, info: CardOrRaw) {
        match info {
            CardOrRaw::Card(card) => self.card = Some(card),
            CardOrRaw::Raw(value, why) => {
                self.fields.set(INFO, value);
                let info = Path::root().field("info");
                self.card_errors = why.into_iter().map(|e| e.within(&info)).collect();
            }
        }
    }

    fn is_cui(&self) -> bool {
        matches!(self.fields.get(MSGTYPE), Some(Value::String(t)) if t == "m.cui")
    }

    /// Reads `info` as a card if it is still raw JSON and the content is `m.cui`.
    fn finish(mut self) -> Self {
        if self.is_cui() && self.card.is_none() && self.card_errors.is_empty() {
            if let Some(value) = self.fields.take_value(INFO) {
                // The lenient card reader accepts every JSON value.
                match CardOrRaw::deserialize(value) {
                    Ok(info) => self.set_info(info),
                    Err(e) => {
                        self.card_errors = vec![FieldError::at(
                            "info",
                            ProblemKind::WrongType,
                            e.to_string(),
                        )]
                    }
                }
            }
        }
        self
    }

    fn into_content(mut self) -> MessageContent {
        match typed(&mut self) {
            Ok(content) => content,
            Err(_) => MessageContent::Other(OtherContent {
                raw: self.into_raw(),
            }),
        }
    }

    fn into_raw(mut self) -> Map<String, Value> {
        if let Some(card) = self.card.take() {
            // A card serialises to a JSON object with string keys: this cannot fail.
            self.fields
                .set(INFO, serde_json::to_value(card).unwrap_or_default());
        }
        self.fields.into_map()
    }
}

/// Reads the parts as the typed content of their `msgtype`. On error nothing has been taken out, and
/// every field that does not fit is reported.
fn typed(parts: &mut Parts) -> Result<MessageContent, FieldErrors> {
    let fields = &mut parts.fields;
    let msgtype = match fields.get(MSGTYPE) {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            return Err(vec![FieldError::at(
                "msgtype",
                ProblemKind::WrongType,
                format!("expected a string, found {}", json_type(other)),
            )]);
        }
        None => {
            return Err(vec![FieldError::at(
                "msgtype",
                ProblemKind::MissingField,
                "missing field `msgtype`",
            )]);
        }
    };
    let content = match msgtype {
        "m.text" | "m.alert" => {
            let alert = msgtype == "m.alert";
            all_checks! {
                _body = fields.req_str(BODY);
            }
            let text = TextContent {
                body: take(fields, BODY),
                extra: rest(fields),
            };
            if alert {
                MessageContent::Alert(text)
            } else {
                MessageContent::Text(text)
            }
        }
        "m.textcard" => {
            all_checks! {
                _body = fields.req_str(BODY).map(drop);
                info = sub_object(fields, INFO, TEXTCARD_NAMES, textcard_info);
                o_url = fields.parse_opt_str(O_URL, ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            let Some(info) = info else {
                return Err(vec![missing(INFO)]);
            };
            fields.discard(O_URL);
            MessageContent::TextCard(TextCardContent {
                body: take(fields, BODY),
                info,
                o_url,
                extra: rest(fields),
            })
        }
        "m.image" => {
            all_checks! {
                _body = fields.req_str(BODY).map(drop);
                info = sub_object(fields, INFO, IMAGE_NAMES, image_info);
                o_url = fields.parse_str(O_URL, ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.discard(O_URL);
            MessageContent::Image(ImageContent {
                body: take(fields, BODY),
                info,
                o_url,
                extra: rest(fields),
            })
        }
        "m.file" => {
            all_checks! {
                _body = fields.req_str(BODY).map(drop);
                info = sub_object(fields, INFO, FILE_NAMES, file_info);
                o_url = fields.parse_str(O_URL, ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.discard(O_URL);
            MessageContent::File(FileContent {
                body: take(fields, BODY),
                info,
                o_url,
                extra: rest(fields),
            })
        }
        "m.cui" => {
            let card_errors = &parts.card_errors;
            let has_card = parts.card.is_some();
            all_checks! {
                _body = fields.req_str(BODY);
                version = fields.req_str(VERSION).map(Version::from_wire);
                _info = card_present(card_errors, has_card);
            }
            let Some(info) = parts.card.take() else {
                return Err(vec![missing(INFO)]);
            };
            fields.discard(VERSION);
            MessageContent::Cui(CuiContent {
                body: take(fields, BODY),
                version,
                info,
                extra: rest(fields),
            })
        }
        _ => {
            return Err(vec![FieldError::at(
                "msgtype",
                ProblemKind::UnknownMsgtype,
                format!("unknown msgtype {msgtype:?}"),
            )]);
        }
    };
    Ok(content)
}

fn missing(index: usize) -> FieldError {
    FieldError::at(
        NAMES[index],
        ProblemKind::MissingField,
        format!("missing field `{}`", NAMES[index]),
    )
}

fn card_present(card_errors: &FieldErrors, has_card: bool) -> Result<(), FieldErrors> {
    if has_card {
        Ok(())
    } else if card_errors.is_empty() {
        Err(vec![missing(INFO)])
    } else {
        Err(card_errors.clone())
    }
}

fn take(fields: &mut ContentFields, index: usize) -> String {
    fields.take_string(index).unwrap_or_default()
}

fn rest(fields: &mut ContentFields) -> Map<String, Value> {
    fields.discard(MSGTYPE);
    fields.take_rest()
}

/// Converts the object in slot `index` with `convert` (`None` when absent); on error the slot is left
/// as it was.
fn sub_object<T, const N: usize>(
    fields: &mut ContentFields,
    index: usize,
    names: &'static [&'static str; N],
    convert: fn(&mut Fields<N>) -> Result<T, FieldErrors>,
) -> Result<Option<T>, FieldErrors> {
    let at = Path::root().field(NAMES[index]);
    match fields.take_value(index) {
        None => Ok(None),
        Some(Value::Object(map)) => {
            let mut sub = Fields::from_map(names, map);
            match convert(&mut sub) {
                Ok(value) => Ok(Some(value)),
                Err(why) => {
                    fields.set(index, Value::Object(sub.into_map()));
                    Err(why.into_iter().map(|e| e.within(&at)).collect())
                }
            }
        }
        Some(other) => {
            let why = FieldError::new(
                at,
                ProblemKind::WrongType,
                format!("expected an object, found {}", json_type(&other)),
            );
            fields.set(index, other);
            Err(vec![why])
        }
    }
}

const TEXTCARD_NAMES: &[&str; 5] = &["title", "description", "url", "btntext", "opentype"];

fn textcard_info(f: &mut Fields<5>) -> Result<TextCardInfo, FieldErrors> {
    all_checks! {
        _title = f.req_str(0);
        _description = f.req_str(1);
        url = f.parse_str(2, ProblemKind::InvalidUrl, |s| HttpUrl::parse(s));
        _btntext = f.req_str(3);
        opentype = f.opt_str(4).map(|s| s.map(OpenType::from_wire));
    }
    f.discard(2);
    f.discard(4);
    Ok(TextCardInfo {
        title: f.take_string(0).unwrap_or_default(),
        description: f.take_string(1).unwrap_or_default(),
        url,
        btntext: f.take_string(3).unwrap_or_default(),
        opentype,
        extra: f.take_rest(),
    })
}

const IMAGE_NAMES: &[&str; 4] = &["mimetype", "size", "h", "w"];

fn image_info(f: &mut Fields<4>) -> Result<ImageInfo, FieldErrors> {
    all_checks! {
        _mimetype = f.opt_str(0);
        size = f.opt_u64(1);
        h = pixels(f, 2);
        w = pixels(f, 3);
    }
    for index in 1..4 {
        f.discard(index);
    }
    Ok(ImageInfo {
        mimetype: f.take_string(0),
        size,
        h,
        w,
        extra: f.take_rest(),
    })
}

fn pixels(f: &Fields<4>, index: usize) -> Result<Option<u32>, FieldError> {
    f.opt_u64(index)?
        .map(|n| {
            u32::try_from(n).map_err(|_| {
                FieldError::at(
                    IMAGE_NAMES[index],
                    ProblemKind::WrongType,
                    format!("{n} pixels is out of range"),
                )
            })
        })
        .transpose()
}

const FILE_NAMES: &[&str; 2] = &["mimetype", "size"];

fn file_info(f: &mut Fields<2>) -> Result<FileInfo, FieldErrors> {
    all_checks! {
        _mimetype = f.opt_str(0);
        size = f.opt_u64(1);
    }
    f.discard(1);
    Ok(FileInfo {
        mimetype: f.take_string(0),
        size,
        extra: f.take_rest(),
    })
}

/// Why received content could not be read as the typed content of its `msgtype`; empty when it can,
/// or when the `msgtype` is missing or not a known one.
pub(crate) fn why_not_typed(raw: &Map<String, Value>) -> FieldErrors {
    let mut parts = Parts {
        fields: Fields::from_map(NAMES, raw.clone()),
        card: None,
        card_errors: Vec::new(),
    }
    .finish();
    match typed(&mut parts) {
        Err(why) if why.iter().all(|e| e.path.to_string() != "msgtype") => why,
        _ => Vec::new(),
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = MessageContent;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a message content object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MessageContent, A::Error> {
        let mut parts = Parts {
            fields: Fields::empty(NAMES),
            card: None,
            card_errors: Vec::new(),
        };
        while let Some(key) = map.next_key_seed(SlotKeySeed(NAMES))? {
            match key {
                SlotKey::Slot(INFO) if parts.is_cui() => parts.set_info(map.next_value()?),
                SlotKey::Slot(index) => parts.fields.set(index, map.next_value()?),
                SlotKey::Extra(name) => parts.fields.insert_extra(name, map.next_value()?),
            }
        }
        Ok(parts.finish().into_content())
    }
}

impl<'de> Deserialize<'de> for MessageContent {
    /// Fails only when the JSON is not an object; see [`MessageContent`] for what is kept.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ContentVisitor)
    }
}

macro_rules! deserialize_as_variant {
    ($($ty:ident: $($variant:ident)|+ => $what:literal),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            /// Reads the content and fails, saying why, unless it is this type.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match MessageContent::deserialize(deserializer)? {
                    $(MessageContent::$variant(content))|+ => Ok(content),
                    MessageContent::Other(other) => {
                        let why = why_not_typed(other.raw());
                        Err(de::Error::custom(if why.is_empty() {
                            format!("expected {} content, found msgtype {:?}", $what, other.msgtype())
                        } else {
                            why.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                        }))
                    }
                    content => Err(de::Error::custom(format_args!(
                        "expected {} content, found msgtype {:?}", $what, content.msgtype()
                    ))),
                }
            }
        }
    )*};
}

deserialize_as_variant!(
    TextContent: Text | Alert => "m.text or m.alert",
    TextCardContent: TextCard => "m.textcard",
    ImageContent: Image => "m.image",
    FileContent: File => "m.file",
    CuiContent: Cui => "m.cui"
);

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

impl Serialize for TextCardInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = MapWriter(serializer.serialize_map(None)?);
        map.field("title", &self.title)?;
        map.field("description", &self.description)?;
        map.field("url", &self.url)?;
        map.field("btntext", &self.btntext)?;
        map.opt("opentype", &self.opentype)?;
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

impl Serialize for ImageInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = MapWriter(serializer.serialize_map(None)?);
        map.opt("mimetype", &self.mimetype)?;
        map.opt("size", &self.size)?;
        map.opt("h", &self.h)?;
        map.opt("w", &self.w)?;
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

impl Serialize for FileInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = MapWriter(serializer.serialize_map(None)?);
        map.opt("mimetype", &self.mimetype)?;
        map.opt("size", &self.size)?;
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
