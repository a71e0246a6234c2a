//! Reading [`MessageContent`]. `msgtype` may come anywhere in the object; when it comes before `info`
//! (as this library writes it), an `m.cui` card is read straight into its types.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::card::CardOrRaw;
use super::content_info::{FileInfoFields, ImageInfoFields, TextCardInfoFields, sub_object};
use super::field_error::{FieldError, FieldErrors, all_checks, json_type};
use super::field_table::{FieldTable, Key, field_table};
use crate::content::{
    CuiContent, FileContent, ImageContent, MessageContent, OtherContent, TextCardContent,
    TextContent,
};
use crate::problem::{Path, ProblemKind};
use crate::{Card, MxcUri, Version};

field_table! {
    /// The fields of every known content; each msgtype uses some of them.
    ContentFields, ContentKey {
        msgtype, Msgtype: "msgtype",
        body, Body: "body",
        version, Version: "version",
        info, Info: "info",
        o_url, OUrl: "o_url",
    }
}

impl ContentFields {
    /// What this msgtype does not use: the unknown fields and the known ones it leaves.
    fn rest(&mut self) -> Map<String, Value> {
        self.msgtype.discard();
        self.take_rest()
    }
}

/// A content object being read: its fields, and the card when `info` was read as one.
struct Parts {
    fields: ContentFields,
    card: Option<Card>,
    card_errors: FieldErrors,
}

impl Parts {
    fn new(fields: ContentFields) -> Self {
        Self {
            fields,
            card: None,
            card_errors: Vec::new(),
        }
    }

    fn set_info(&mut self, info: CardOrRaw) {
        match info {
            CardOrRaw::Card(card) => self.card = Some(card),
            CardOrRaw::Raw(value, why) => {
                self.fields.info.set(value);
                let info = Path::root().field(self.fields.info.name());
                self.card_errors = why.into_iter().map(|e| e.within(&info)).collect();
            }
        }
    }

    fn is_cui(&self) -> bool {
        matches!(self.fields.msgtype.get(), Some(Value::String(t)) if t == "m.cui")
    }

    /// Reads `info` as a card if it is still raw JSON and the content is `m.cui`.
    fn finish(mut self) -> Self {
        if self.is_cui()
            && self.card.is_none()
            && self.card_errors.is_empty()
            && let Some(value) = self.fields.info.take()
        {
            // The lenient card reader accepts every JSON value.
            match CardOrRaw::deserialize(value) {
                Ok(info) => self.set_info(info),
                Err(e) => {
                    self.card_errors = vec![FieldError::at(
                        self.fields.info.name(),
                        ProblemKind::WrongType,
                        e.to_string(),
                    )]
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
                .info
                .set(serde_json::to_value(card).unwrap_or_default());
        }
        self.fields.take_rest()
    }
}

/// Reads the parts as the typed content of their `msgtype`. On error nothing has been taken out, and
/// every field that does not fit is reported.
fn typed(parts: &mut Parts) -> Result<MessageContent, FieldErrors> {
    let fields = &mut parts.fields;
    let msgtype = match fields.msgtype.get() {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            return Err(vec![FieldError::at(
                fields.msgtype.name(),
                ProblemKind::WrongType,
                format!("expected a string, found {}", json_type(other)),
            )]);
        }
        None => return Err(vec![fields.msgtype.missing()]),
    };
    let content = match msgtype {
        "m.text" | "m.alert" => {
            let alert = msgtype == "m.alert";
            all_checks! {
                _body = fields.body.req_str();
            }
            let text = TextContent {
                body: fields.body.take_required_string(),
                extra: fields.rest(),
            };
            if alert {
                MessageContent::Alert(text)
            } else {
                MessageContent::Text(text)
            }
        }
        "m.textcard" => {
            all_checks! {
                _body = fields.body.req_str().map(drop);
                info = sub_object::<TextCardInfoFields>(&mut fields.info);
                o_url = fields.o_url.parse_opt_str(ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            let Some(info) = info else {
                return Err(vec![fields.info.missing()]);
            };
            fields.o_url.discard();
            MessageContent::TextCard(TextCardContent {
                body: fields.body.take_required_string(),
                info,
                o_url,
                extra: fields.rest(),
            })
        }
        "m.image" => {
            all_checks! {
                _body = fields.body.req_str().map(drop);
                info = sub_object::<ImageInfoFields>(&mut fields.info);
                o_url = fields.o_url.parse_str(ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.o_url.discard();
            MessageContent::Image(ImageContent {
                body: fields.body.take_required_string(),
                info,
                o_url,
                extra: fields.rest(),
            })
        }
        "m.file" => {
            all_checks! {
                _body = fields.body.req_str().map(drop);
                info = sub_object::<FileInfoFields>(&mut fields.info);
                o_url = fields.o_url.parse_str(ProblemKind::InvalidMxcUri, |s| MxcUri::parse(s));
            }
            fields.o_url.discard();
            MessageContent::File(FileContent {
                body: fields.body.take_required_string(),
                info,
                o_url,
                extra: fields.rest(),
            })
        }
        "m.cui" => {
            let card_errors = &parts.card_errors;
            let has_card = parts.card.is_some();
            all_checks! {
                _body = fields.body.req_str();
                version = fields.version.req_str().map(Version::from_wire);
                _info = card_present(card_errors, has_card, fields);
            }
            let Some(info) = parts.card.take() else {
                return Err(vec![fields.info.missing()]);
            };
            fields.version.discard();
            MessageContent::Cui(CuiContent {
                body: fields.body.take_required_string(),
                version,
                info,
                extra: fields.rest(),
            })
        }
        _ => {
            return Err(vec![FieldError::at(
                fields.msgtype.name(),
                ProblemKind::UnknownMsgtype,
                format!("unknown msgtype {msgtype:?}"),
            )]);
        }
    };
    Ok(content)
}

fn card_present(
    card_errors: &FieldErrors,
    has_card: bool,
    fields: &ContentFields,
) -> Result<(), FieldErrors> {
    if has_card {
        Ok(())
    } else if card_errors.is_empty() {
        Err(vec![fields.info.missing()])
    } else {
        Err(card_errors.clone())
    }
}

/// Why received content could not be read as the typed content of its `msgtype`; empty when it can,
/// or when the `msgtype` is missing or not a known one.
pub(crate) fn why_not_typed(raw: &Map<String, Value>) -> FieldErrors {
    let mut parts = Parts::new(ContentFields::from_map(raw.clone())).finish();
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
        let mut parts = Parts::new(ContentFields::empty());
        let mut name = String::new();
        while let Some(key) = ContentFields::next_key(&mut map, &mut name)? {
            match key {
                Key::Field(ContentKey::Info) if parts.is_cui() => parts.set_info(map.next_value()?),
                other => parts.fields.read_value(other, &mut name, &mut map)?,
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
