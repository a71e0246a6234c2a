//! Renders a checked template with data: `{path}`s looked up, `<for>` and `<if>` expanded, and the
//! content made with the same builders the `cui!` macro calls.

use finchat_cui_rules::grammar::Tag;
use finchat_cui_rules::grammar::symbol::*;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::data::{self, Scope};
use super::error::{Mistakes, Position};
use super::tree::{Attr, Body, Bound, Item, Node, Part, Value};
use crate::element::{
    Divider, Dropdown, DropdownOption, Image, OpenUrl, Reply, Submit, Text, TextInput,
};
use crate::wire::json_type;
use crate::{
    Card, Color, CuiContent, Element, Fcid, FileContent, HttpUrl, ImageContent, MessageContent,
    MxcUri, OpenType, Status, TextCardContent, TextContent,
};

/// The content `message` makes with `root`, and the position of the tag that made each element of a
/// card; or every binding that failed.
pub(super) fn content(
    message: &Node,
    root: &Json,
) -> Result<(MessageContent, Vec<Position>), Mistakes> {
    let mut render = Render {
        scope: Scope {
            root,
            names: Vec::new(),
        },
        errors: Vec::new(),
        element_positions: Vec::new(),
        repeated: 0,
    };
    let content = render.message(message);
    match content {
        Some(content) if render.errors.is_empty() => Ok((content, render.element_positions)),
        _ => Err(render.errors),
    }
}

struct Render<'a> {
    scope: Scope<'a>,
    errors: Mistakes,
    element_positions: Vec<Position>,
    /// The children `<for>`s have repeated so far, counted against [`MAX_REPEATED`].
    repeated: usize,
}

/// How many children the `<for>`s of one rendering may repeat, all together: far more than a card
/// shows, and few enough that nested loops over long lists (`<for>` in `<for>` in …, each list
/// multiplying the others) end soon with an error instead of running for ever.
const MAX_REPEATED: usize = 100_000;

impl<'a> Render<'a> {
    fn lookup(&mut self, bound: &Bound) -> Option<&'a Json> {
        match self.scope.lookup(&bound.path) {
            Ok(value) => Some(value),
            Err(why) => {
                self.errors.push((bound.pos, why));
                None
            }
        }
    }

    /// Calls `each` on every child `items` make: `<for>` repeats its children for each item of its
    /// list, `<if>` keeps them when its value is true.
    fn expand<T>(&mut self, items: &'a [Item<T>], each: &mut dyn FnMut(&mut Self, &'a T)) {
        for item in items {
            match item {
                Item::One(node) => each(self, node),
                Item::For {
                    each: list,
                    name,
                    body,
                } => match self.lookup(list) {
                    Some(Json::Array(values)) => {
                        for value in values {
                            if self.repeated > MAX_REPEATED {
                                break;
                            }
                            self.repeated += body.len().max(1);
                            if self.repeated > MAX_REPEATED {
                                self.errors.push((
                                    list.pos,
                                    format!(
                                        "`<for each={{{}}}>` repeats more than {MAX_REPEATED} children in all with this data; nested `<for>`s over long lists multiply",
                                        list.path
                                    ),
                                ));
                                break;
                            }
                            self.scope.names.push((name, value));
                            self.expand(body, each);
                            self.scope.names.pop();
                        }
                    }
                    Some(other) => self.errors.push((
                        list.pos,
                        format!(
                            "`{}` is {}; `<for each=…>` takes a list",
                            list.path,
                            json_type(other)
                        ),
                    )),
                    None => {}
                },
                Item::If { test, negate, body } => {
                    if let Some(value) = self.lookup(test)
                        && data::truthy(value) != *negate
                    {
                        self.expand(body, each);
                    }
                }
            }
        }
    }

    fn text(&mut self, body: &'a Body) -> String {
        let mut out = String::new();
        if let Body::Text(parts) = body {
            self.expand(parts, &mut |render, part| match part {
                Part::Lit(text) => out.push_str(text),
                Part::Bind(bound) => {
                    if let Some(value) = render.lookup(bound) {
                        match data::text(value) {
                            Some(text) => out.push_str(&text),
                            None => render.errors.push((
                                bound.pos,
                                format!("`{}` is {}, not text", bound.path, json_type(value)),
                            )),
                        }
                    }
                }
            });
        }
        out
    }

    /// A text attribute: a literal, or a bound string, number or boolean.
    fn string(&mut self, node: &'a Node, name: &str) -> Option<String> {
        let attr = node.attr(name)?;
        match &attr.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Bind(bound) => {
                let value = self.lookup(bound)?;
                let text = data::text(value);
                if text.is_none() {
                    self.errors.push((
                        bound.pos,
                        format!(
                            "`{}` is {}; `{name}` takes text",
                            bound.path,
                            json_type(value)
                        ),
                    ));
                }
                text
            }
        }
    }

    /// An attribute of a checked type, read as the type reads it from JSON.
    fn typed<T: DeserializeOwned>(&mut self, node: &'a Node, name: &str) -> Option<T> {
        let Attr { value, .. } = node.attr(name)?;
        let (json, pos, path) = match value {
            Value::Str(s) => (Json::from(s.as_str()), None, None),
            Value::Int(n) => (Json::from(*n), None, None),
            Value::Bool(b) => (Json::from(*b), None, None),
            Value::Bind(bound) => (
                self.lookup(bound)?.clone(),
                Some(bound.pos),
                Some(&bound.path),
            ),
        };
        let quoted = json.as_str().map(str::to_owned);
        match serde_json::from_value(json) {
            Ok(value) => Some(value),
            Err(why) => {
                let at = pos.unwrap_or(node.pos);
                let written = path.map_or_else(|| name.to_owned(), |p| format!("{name}={{{p}}}"));
                let why = shorten_quoted(why.to_string(), &quoted);
                self.errors.push((at, format!("`{written}`: {why}")));
                None
            }
        }
    }

    fn message(&mut self, node: &'a Node) -> Option<MessageContent> {
        Some(match node.tag {
            Tag::Form => {
                let mut card = Card::form();
                if let Some(status) = self.typed::<Status>(node, STATUS) {
                    card = card.status(status);
                }
                if let Some(shared) = self.typed::<bool>(node, SHARED) {
                    card = card.shared(shared);
                }
                if let Some(fcids) = self.typed::<Vec<Fcid>>(node, FCIDS) {
                    card = card.fcids(fcids);
                }
                let body = self.string(node, BODY);
                let mut elements = Vec::new();
                if let Body::Nodes(items) = &node.body {
                    self.expand(items, &mut |render, element| {
                        if let Some(made) = render.element(element) {
                            elements.push(made);
                            render.element_positions.push(element.pos);
                        }
                    });
                }
                let mut content = CuiContent::new(card.elements(elements));
                if let Some(body) = body {
                    content = content.body(body);
                }
                content.into()
            }
            Tag::TextCard => {
                // Every attribute is read before any missing one ends the card, so that every
                // binding that fails is reported.
                let title = self.string(node, TITLE);
                let description = self.string(node, DESCRIPTION);
                let url = self.typed::<HttpUrl>(node, URL);
                let btntext = self.string(node, BTNTEXT);
                let opentype = self.typed::<OpenType>(node, OPENTYPE);
                let mut card = TextCardContent::new(title?, description?, url?, btntext?);
                if let Some(opentype) = opentype {
                    card = card.opentype(opentype);
                }
                card.into()
            }
            Tag::Image => {
                let (name, src) = (self.string(node, NAME), self.typed::<MxcUri>(node, SRC));
                let (mimetype, size) = (self.string(node, MIMETYPE), self.typed::<u64>(node, SIZE));
                let (w, h) = (self.typed::<u32>(node, W), self.typed::<u32>(node, H));
                let mut image = ImageContent::new(name?, src?);
                if let Some(mimetype) = mimetype {
                    image = image.mimetype(mimetype);
                }
                if let Some(size) = size {
                    image = image.size(size);
                }
                if let (Some(w), Some(h)) = (w, h) {
                    image = image.dimensions(w, h);
                }
                image.into()
            }
            Tag::File => {
                let (name, src) = (self.string(node, NAME), self.typed::<MxcUri>(node, SRC));
                let (mimetype, size) = (self.string(node, MIMETYPE), self.typed::<u64>(node, SIZE));
                let mut file = FileContent::new(name?, src?);
                if let Some(mimetype) = mimetype {
                    file = file.mimetype(mimetype);
                }
                if let Some(size) = size {
                    file = file.size(size);
                }
                file.into()
            }
            _ => TextContent::new(self.text(&node.body)).into(),
        })
    }

    fn element(&mut self, node: &'a Node) -> Option<Element> {
        Some(match node.tag {
            Tag::Divider => {
                let mut divider = Divider::new();
                if let Some(height) = self.typed::<u32>(node, HEIGHT) {
                    divider = divider.height(height);
                }
                if let Some(color) = self.typed::<Color>(node, BACKGROUND) {
                    divider = divider.background(color);
                }
                divider.into()
            }
            Tag::Image => Image::new(self.typed::<MxcUri>(node, SRC)?).into(),
            Tag::Input => {
                let key = self.string(node, KEY);
                let (placeholder, value) =
                    (self.string(node, PLACEHOLDER), self.string(node, VALUE));
                let mut input = TextInput::new(key?);
                if let Some(placeholder) = placeholder {
                    input = input.placeholder(placeholder);
                }
                if let Some(value) = value {
                    input = input.value(value);
                }
                input.into()
            }
            Tag::Dropdown => {
                let mut options = Vec::new();
                if let Body::Nodes(items) = &node.body {
                    self.expand(items, &mut |render, option| {
                        let label = render.text(&option.body);
                        if let Some(value) = render.string(option, VALUE) {
                            options.push(DropdownOption::new(label, value));
                        }
                    });
                }
                let key = self.string(node, KEY);
                let (placeholder, value) =
                    (self.string(node, PLACEHOLDER), self.string(node, VALUE));
                let mut dropdown = Dropdown::new(key?).options(options);
                if let Some(placeholder) = placeholder {
                    dropdown = dropdown.placeholder(placeholder);
                }
                if let Some(value) = value {
                    dropdown = dropdown.value(value);
                }
                dropdown.into()
            }
            Tag::Reply => {
                let caption = self.text(&node.body);
                let (key, status) = (self.string(node, KEY), self.typed::<Status>(node, STATUS));
                let mut reply = Reply::new(key?, caption);
                if let Some(status) = status {
                    reply = reply.status(status);
                }
                reply.into()
            }
            Tag::Submit => Submit::new(self.text(&node.body)).into(),
            Tag::OpenUrl => {
                let caption = self.text(&node.body);
                OpenUrl::new(caption, self.typed::<HttpUrl>(node, HREF)?).into()
            }
            _ => Text::new(self.text(&node.body)).into(),
        })
    }
}

/// How many characters of a bound string a message quotes.
const QUOTED_CHARS: usize = 40;

/// `message` with the bound string `value` it quotes (as is, or as `{:?}` writes it) cut to its
/// first [`QUOTED_CHARS`] characters: an error names the value, it does not repeat a long text.
fn shorten_quoted(message: String, value: &Option<String>) -> String {
    let Some(value) = value else { return message };
    if value.chars().count() <= QUOTED_CHARS {
        return message;
    }
    let short: String = value.chars().take(QUOTED_CHARS).chain(['…']).collect();
    message
        .replace(&format!("{value:?}"), &format!("{short:?}"))
        .replace(value.as_str(), &short)
}
