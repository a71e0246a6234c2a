//! What the `cui!` and `#[derive(CuiForm)]` expansions call (`::finchat_cui::__private::…`; the
//! derive's support is in [`form`]). Not part of the public API: names and signatures may change in
//! any release.

pub mod form;

/// The items it is given, when finchat-cui has its `schema` feature, and nothing otherwise: the
/// derive wraps `CuiForm::schema` in it, since the derive cannot see finchat-cui's features.
#[cfg(feature = "schema")]
#[macro_export]
#[doc(hidden)]
macro_rules! __with_schema {
    ($($item:item)*) => { $($item)* };
}

/// The items it is given, when finchat-cui has its `schema` feature, and nothing otherwise.
#[cfg(not(feature = "schema"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __with_schema {
    ($($item:item)*) => {};
}

pub use crate::__with_schema as with_schema;

use std::fmt::{Display, Write};

use crate::element::{
    Divider, Dropdown, DropdownOption, Image, OpenUrl, Reply, Submit, Text, TextInput,
};
use crate::{
    Color, CuiContent, Element, FileContent, HttpUrl, ImageContent, MxcUri, Problems,
    TextCardContent, TextContent,
};

// The macro checks these literals with the same `finchat_cui_rules` functions the types' `parse` use,
// so they are built without a second check.

/// An `mxc://` literal the macro has checked.
pub fn mxc_literal(uri: &'static str) -> MxcUri {
    MxcUri::from_checked(uri)
}

/// An http(s) URL literal the macro has checked.
pub fn http_url_literal(url: &'static str) -> HttpUrl {
    HttpUrl::from_checked(url)
}

/// A colour literal the macro has checked.
pub fn color_literal(color: &'static str) -> Color {
    Color::from_checked(color)
}

/// Appends `value` formatted with `Display`.
pub fn push_display(out: &mut String, value: &impl Display) {
    // Writing into a String cannot fail.
    let _ = write!(out, "{value}");
}

/// Checks content built from run-time values with the same rules as the builders.
pub fn validated<T: Validate>(content: T) -> Result<T, Problems> {
    content.validate().map(|()| content)
}

/// Content that can be checked before it is sent.
pub trait Validate {
    /// Every broken rule, or `Ok`.
    fn validate(&self) -> Result<(), Problems>;
}

macro_rules! validate_via_method {
    ($($ty:ty),*) => {$(
        impl Validate for $ty {
            fn validate(&self) -> Result<(), Problems> {
                <$ty>::validate(self)
            }
        }
    )*};
}

validate_via_method!(
    CuiContent,
    TextCardContent,
    ImageContent,
    FileContent,
    TextContent
);

/// What `{expr}` may splice into a card: one element, or any iterator of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be spliced into a `<form>`",
    label = "expected an `Element`, an element such as `Text`, or an iterator of them",
    note = "text goes inside an element: `<text>{{value}}</text>`"
)]
pub trait IntoElements {
    /// Appends the element(s) to `out`.
    fn extend_elements(self, out: &mut Vec<Element>);
}

impl<I> IntoElements for I
where
    I: IntoIterator,
    I::Item: Into<Element>,
{
    fn extend_elements(self, out: &mut Vec<Element>) {
        out.extend(self.into_iter().map(Into::into));
    }
}

macro_rules! one_element {
    ($($ty:ty),*) => {$(
        impl IntoElements for $ty {
            fn extend_elements(self, out: &mut Vec<Element>) {
                out.push(self.into());
            }
        }
    )*};
}

one_element!(
    Element, Text, Divider, Image, TextInput, Dropdown, Submit, Reply, OpenUrl
);

/// What `{expr}` may splice into a dropdown: one option, or any iterator of options (or of
/// `(label, value)` pairs).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be spliced into a `<dropdown>`",
    label = "expected a `DropdownOption` or an iterator of options or `(label, value)` pairs"
)]
pub trait IntoOptions {
    /// Appends the option(s) to `out`.
    fn extend_options(self, out: &mut Vec<DropdownOption>);
}

impl<I> IntoOptions for I
where
    I: IntoIterator,
    I::Item: Into<DropdownOption>,
{
    fn extend_options(self, out: &mut Vec<DropdownOption>) {
        out.extend(self.into_iter().map(Into::into));
    }
}

impl IntoOptions for DropdownOption {
    fn extend_options(self, out: &mut Vec<DropdownOption>) {
        out.push(self);
    }
}
