//! Card templates: the [`cui!`](crate::cui) grammar read at run time, from a string or a `.cui` file,
//! and rendered with data, so that people who do not write Rust can edit a card's copy.
//!
//! A template is what goes between the braces of `cui! { … }`: the same tags, the same attributes
//! (`name="text"`, `name=12`, `name=true`), text as string literals with Rust's escapes (`"\n"`,
//! `\"`, `\\`, `\u{4e2d}`) or raw (`r"C:\dir"`, `r#"say "hi""#`), and `//` and `/* … */`
//! comments. Where the macro takes a Rust expression, a template takes a path into its data:
//! `{name}`, `{claim.amount}`, `{items.0}`. Two tags are the template's own, in place of Rust's `if`
//! and `for`:
//!
//! - `<for each={approvers} as="a">…</for>` repeats its children for each item of a list, with the
//!   item bound to `a` (`{a}`, `{a.name}`); it stands among elements in `<form>`, among options in
//!   `<dropdown>`, and in text.
//! - `<if test={urgent}>…</if>` keeps its children when the value is true, `<if not={urgent}>…</if>`
//!   when it is false. `false`, `null`, `""`, `0`, `[]` and `{}` are false; every other value is true.
//!
//! A value in text is written as it is (a string), as JSON writes it (a number, a boolean), or as
//! nothing (`null`); a list or an object there is an error. An attribute reads its value as its type
//! reads JSON (`src` an `mxc://` string, `height` a number, `fcids` a list of ids). A path that names
//! nothing is an error naming the path and its place.
//!
//! [`Template::parse`] checks the template once, with the grammar and the messages the macro uses, and
//! reports every mistake with its line and column; [`Template::render`] can then be called many
//! times. Rendering ends with [`MessageContent::validate`], the validator every builder uses.
//!
//! ```
//! use finchat_cui::template::Template;
//!
//! let template = Template::parse(r#"
//!     <form status="input">
//!         <text>"报销申请 #" {id} "：" {amount} " 元"</text>
//!         <if test={urgent}><text>"加急"</text></if>
//!         <dropdown key="approver" placeholder="审批人">
//!             <for each={approvers} as="a"><option value={a.id}>{a.name}</option></for>
//!         </dropdown>
//!         <reply key="decision">"同意"</reply>
//!     </form>
//! "#)?;
//! let data = serde_json::json!({
//!     "id": 42, "amount": 1200, "urgent": true,
//!     "approvers": [{"id": "alice", "name": "Alice"}, {"id": "bob", "name": "Bob"}],
//! });
//! let content = template.render(&data)?;
//! assert_eq!(content.card().unwrap().elements.len(), 4);
//!
//! let mistake = Template::parse("<form>\n  <text>\"a\"</txt>\n</form>").unwrap_err();
//! assert_eq!(mistake.to_string(), "template:2:14: `</txt>` closes `<text>`; write `</text>`\ntemplate:2:4: note: `<text>` is opened here");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod check;
mod control;
mod data;
mod error;
mod syntax;
mod tree;

use std::fmt;
use std::path::Path as FilePath;

use serde::Serialize;

pub use error::{LoadError, Position, RenderError, TemplateError, TemplateErrors};

use crate::MessageContent;

/// A checked template, ready to render with data many times.
pub struct Template {
    name: String,
    message: tree::Node,
}

impl Template {
    /// Reads and checks a template; its errors are reported under the name `template`.
    ///
    /// # Errors
    ///
    /// [`TemplateErrors`]: every mistake of the markup and of the grammar, each with its line and
    /// column, in the words the `cui!` macro uses.
    pub fn parse(source: &str) -> Result<Template, TemplateErrors> {
        Template::parse_named("template", source)
    }

    /// Reads and checks a template whose errors are reported under `name` (a file name).
    ///
    /// # Errors
    ///
    /// As [`Template::parse`].
    pub fn parse_named(name: &str, source: &str) -> Result<Template, TemplateErrors> {
        let (nodes, mut errors) = syntax::parse(source);
        let message = check::message(nodes, &mut errors);
        match message {
            Some(message) if errors.is_empty() => Ok(Template {
                name: name.to_owned(),
                message,
            }),
            _ => Err(TemplateErrors::new(name, errors)),
        }
    }

    /// Reads and checks the template in a `.cui` file; errors name the file.
    ///
    /// # Errors
    ///
    /// [`LoadError::Read`] when the file cannot be read, [`LoadError::Template`] when the template
    /// has mistakes.
    pub fn from_file(path: impl AsRef<FilePath>) -> Result<Template, LoadError> {
        let path = path.as_ref();
        let source = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Template::parse_named(&path.display().to_string(), &source)?)
    }

    /// The content this template makes with `data` (any `Serialize` value, read as JSON).
    ///
    /// # Errors
    ///
    /// [`RenderError::Data`] when `data` is not JSON, [`RenderError::Binding`] for every `{path}`
    /// that names nothing or a value of the wrong kind (and when the `<for>`s would repeat more
    /// than 100 000 children in all), and [`RenderError::Invalid`] with the validator's problems
    /// when the content breaks a rule of the format.
    pub fn render(&self, data: &impl Serialize) -> Result<MessageContent, RenderError> {
        self.render_json(&serde_json::to_value(data)?)
    }

    /// The content this template makes with the JSON value `data`.
    ///
    /// # Errors
    ///
    /// As [`Template::render`], without [`RenderError::Data`].
    pub fn render_json(&self, data: &serde_json::Value) -> Result<MessageContent, RenderError> {
        let (content, positions) = build::content(&self.message, data)
            .map_err(|errors| RenderError::Binding(TemplateErrors::new(&self.name, errors)))?;
        match content.validate() {
            Ok(()) => Ok(content),
            Err(problems) => {
                let positions = problems
                    .iter()
                    .map(|problem| match problem.path.element_index() {
                        Some(i) => positions.get(i).copied(),
                        None => Some(self.message.pos),
                    })
                    .collect();
                Err(RenderError::Invalid {
                    name: self.name.clone(),
                    content: Box::new(content),
                    problems,
                    positions,
                })
            }
        }
    }

    /// The name errors are reported under: the file, or `template`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("name", &self.name)
            .field("message", &self.message.tag.name())
            .finish_non_exhaustive()
    }
}
