//! Emits the finchat-cui builder calls for a checked message. Literals were checked at compile time;
//! when any value is computed at run time, the expansion ends with the same validator the builders
//! use and evaluates to `Result<_, Problems>`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{
    Attr, Dropdown, Element, FileMessage, Form, ImageMessage, Item, Message, OptionItem, Part,
    Text, TextCard, Value,
};

/// The expansion of a whole message.
pub fn message(message: &Message) -> TokenStream {
    let (content, fallible) = match message {
        Message::Form(form) => (form_content(form), form_is_fallible(form)),
        Message::TextCard(card) => (textcard(card), attrs_are_fallible(&card_attrs(card))),
        Message::Image(image) => (
            image_message(image),
            attrs_are_fallible(&image_attrs(image)),
        ),
        Message::File(file) => (file_message(file), attrs_are_fallible(&file_attrs(file))),
        Message::Text(body) => {
            let body = text(body);
            (
                quote! { ::finchat_cui::TextContent::new(#body) },
                text_has_expr(message),
            )
        }
    };
    if fallible {
        quote! { ::finchat_cui::__private::validated(#content) }
    } else {
        content
    }
}

/// A local of the expansion; mixed-site hygiene keeps it apart from the user's names.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

fn text_has_expr(message: &Message) -> bool {
    matches!(message, Message::Text(body) if body.parts.iter().any(|p| matches!(p, Part::Expr(_))))
}

fn attrs_are_fallible(attrs: &[Option<&Attr>]) -> bool {
    attrs.iter().flatten().any(|attr| attr.is_expr())
}

fn card_attrs(card: &TextCard) -> Vec<Option<&Attr>> {
    vec![
        Some(&card.title),
        Some(&card.description),
        Some(&card.url),
        Some(&card.btntext),
        card.opentype.as_ref(),
    ]
}

fn image_attrs(image: &ImageMessage) -> Vec<Option<&Attr>> {
    vec![
        Some(&image.name),
        Some(&image.src),
        image.mimetype.as_ref(),
        image.size.as_ref(),
        image.w.as_ref(),
        image.h.as_ref(),
    ]
}

fn file_attrs(file: &FileMessage) -> Vec<Option<&Attr>> {
    vec![
        Some(&file.name),
        Some(&file.src),
        file.mimetype.as_ref(),
        file.size.as_ref(),
    ]
}

/// Whether a run-time value could break a rule: an attribute given as `{expr}`, or spliced elements or
/// options. Text in elements (`{expr}` formatted with `Display`) cannot.
fn form_is_fallible(form: &Form) -> bool {
    let form_attrs = [&form.status, &form.shared, &form.fcids, &form.body];
    if form_attrs
        .iter()
        .any(|a| a.as_ref().is_some_and(Attr::is_expr))
    {
        return true;
    }
    form.items.iter().any(|item| match item {
        Item::Splice(_) => true,
        Item::Element(element) => element_is_fallible(element),
    })
}

fn element_is_fallible(element: &Element) -> bool {
    let attrs: Vec<Option<&Attr>> = match element {
        Element::Text(_) | Element::Submit { .. } => Vec::new(),
        Element::Divider { height, background } => vec![height.as_ref(), background.as_ref()],
        Element::Image { src } => vec![Some(src)],
        Element::Input {
            key,
            placeholder,
            value,
        } => vec![Some(key), placeholder.as_ref(), value.as_ref()],
        Element::Dropdown(dropdown) => {
            let options = dropdown.options.iter().any(|option| match option {
                OptionItem::Splice(_) => true,
                OptionItem::Option { value, .. } => value.is_expr(),
            });
            if options {
                return true;
            }
            vec![
                Some(&dropdown.key),
                dropdown.placeholder.as_ref(),
                dropdown.value.as_ref(),
            ]
        }
        Element::Reply { key, status, .. } => vec![Some(key), status.as_ref()],
        Element::OpenUrl { href, .. } => vec![Some(href)],
    };
    attrs_are_fallible(&attrs)
}

fn form_content(form: &Form) -> TokenStream {
    let elements = local("elements");
    let pushes = form.items.iter().map(|item| match item {
        Item::Element(element) => {
            let element = element_expr(element);
            quote! { #elements.push(::core::convert::Into::into(#element)); }
        }
        Item::Splice(expr) => quote_spanned! {expr.span()=>
            ::finchat_cui::__private::IntoElements::extend_elements(#expr, &mut #elements);
        },
    });
    let status = form.status.as_ref().map(|s| {
        let s = status(s);
        quote! { .status(#s) }
    });
    let shared = form.shared.as_ref().map(|s| {
        let s = plain(s);
        quote! { .shared(#s) }
    });
    let fcids = form.fcids.as_ref().map(|f| {
        let f = plain(f);
        quote! { .fcids(#f) }
    });
    let body = form.body.as_ref().map(|b| {
        let b = plain(b);
        quote! { .body(#b) }
    });
    quote! {{
        let mut #elements: ::std::vec::Vec<::finchat_cui::Element> = ::std::vec::Vec::new();
        #(#pushes)*
        ::finchat_cui::CuiContent::new(
            ::finchat_cui::Card::form() #status #shared #fcids .elements(#elements)
        ) #body
    }}
}

fn element_expr(element: &Element) -> TokenStream {
    match element {
        Element::Text(value) => {
            let value = text(value);
            quote! { ::finchat_cui::element::Text::new(#value) }
        }
        Element::Divider { height, background } => {
            let height = height.as_ref().map(|h| {
                let h = plain(h);
                quote! { .height(#h) }
            });
            let background = background.as_ref().map(|b| {
                let b = checked(b, "color_literal");
                quote! { .background(#b) }
            });
            quote! { ::finchat_cui::element::Divider::new() #height #background }
        }
        Element::Image { src } => {
            let src = checked(src, "mxc_literal");
            quote! { ::finchat_cui::element::Image::new(#src) }
        }
        Element::Input {
            key,
            placeholder,
            value,
        } => {
            let key = plain(key);
            let placeholder = setter("placeholder", placeholder.as_ref());
            let value = setter("value", value.as_ref());
            quote! { ::finchat_cui::element::TextInput::new(#key) #placeholder #value }
        }
        Element::Dropdown(dropdown) => dropdown_expr(dropdown),
        Element::Reply {
            key,
            status: reply_status,
            caption,
        } => {
            let key = plain(key);
            let caption = text(caption);
            let reply_status = reply_status.as_ref().map(|s| {
                let s = status(s);
                quote! { .status(#s) }
            });
            quote! { ::finchat_cui::element::Reply::new(#key, #caption) #reply_status }
        }
        Element::Submit { caption } => {
            let caption = text(caption);
            quote! { ::finchat_cui::element::Submit::new(#caption) }
        }
        Element::OpenUrl { href, caption } => {
            let href = checked(href, "http_url_literal");
            let caption = text(caption);
            quote! { ::finchat_cui::element::OpenUrl::new(#caption, #href) }
        }
    }
}

fn dropdown_expr(dropdown: &Dropdown) -> TokenStream {
    let options = local("options");
    let pushes = dropdown.options.iter().map(|option| match option {
        OptionItem::Option { value, label } => {
            let value = plain(value);
            let label = text(label);
            quote! { #options.push(::finchat_cui::element::DropdownOption::new(#label, #value)); }
        }
        OptionItem::Splice(expr) => quote_spanned! {expr.span()=>
            ::finchat_cui::__private::IntoOptions::extend_options(#expr, &mut #options);
        },
    });
    let key = plain(&dropdown.key);
    let placeholder = setter("placeholder", dropdown.placeholder.as_ref());
    let value = setter("value", dropdown.value.as_ref());
    quote! {{
        let mut #options: ::std::vec::Vec<::finchat_cui::element::DropdownOption> = ::std::vec::Vec::new();
        #(#pushes)*
        ::finchat_cui::element::Dropdown::new(#key).options(#options) #placeholder #value
    }}
}

fn textcard(card: &TextCard) -> TokenStream {
    let title = plain(&card.title);
    let description = plain(&card.description);
    let url = checked(&card.url, "http_url_literal");
    let btntext = plain(&card.btntext);
    let opentype = card.opentype.as_ref().map(|o| {
        let o = match &o.value {
            Value::Str(lit) if lit.value() == "inapp" => quote! { ::finchat_cui::OpenType::InApp },
            Value::Str(_) => quote! { ::finchat_cui::OpenType::InBrowser },
            _ => plain(o),
        };
        quote! { .opentype(#o) }
    });
    quote! { ::finchat_cui::TextCardContent::new(#title, #description, #url, #btntext) #opentype }
}

fn image_message(image: &ImageMessage) -> TokenStream {
    let name = plain(&image.name);
    let src = checked(&image.src, "mxc_literal");
    let mimetype = setter("mimetype", image.mimetype.as_ref());
    let size = setter("size", image.size.as_ref());
    let dimensions = image.w.as_ref().zip(image.h.as_ref()).map(|(w, h)| {
        let (w, h) = (plain(w), plain(h));
        quote! { .dimensions(#w, #h) }
    });
    quote! { ::finchat_cui::ImageContent::new(#name, #src) #mimetype #size #dimensions }
}

fn file_message(file: &FileMessage) -> TokenStream {
    let name = plain(&file.name);
    let src = checked(&file.src, "mxc_literal");
    let mimetype = setter("mimetype", file.mimetype.as_ref());
    let size = setter("size", file.size.as_ref());
    quote! { ::finchat_cui::FileContent::new(#name, #src) #mimetype #size }
}

/// `.name(value)` when the attribute is there.
fn setter(name: &str, attr: Option<&Attr>) -> Option<TokenStream> {
    attr.map(|attr| {
        let method = Ident::new(name, attr.name_span);
        let value = plain(attr);
        quote! { .#method(#value) }
    })
}

/// The value as written: a literal, or the user's expression with its own spans.
fn plain(attr: &Attr) -> TokenStream {
    match &attr.value {
        Value::Str(lit) => quote! { #lit },
        Value::Int(lit) => quote! { #lit },
        Value::Bool(lit) => quote! { #lit },
        Value::Expr(expr) => quote_spanned! {expr.span()=> (#expr) },
    }
}

/// A literal of a checked type, built through the private constructor the macro may use after its
/// own check; an expression must already have the type.
fn checked(attr: &Attr, constructor: &str) -> TokenStream {
    match &attr.value {
        Value::Str(lit) => {
            let constructor = Ident::new(constructor, Span::call_site());
            quote! { ::finchat_cui::__private::#constructor(#lit) }
        }
        _ => plain(attr),
    }
}

fn status(attr: &Attr) -> TokenStream {
    match attr.literal().as_deref() {
        Some("input") => quote! { ::finchat_cui::Status::Input },
        Some("loading") => quote! { ::finchat_cui::Status::Loading },
        Some("disable") => quote! { ::finchat_cui::Status::Disable },
        _ => plain(attr),
    }
}

/// Text as a `String`: literals as they are, expressions formatted with `Display`.
fn text(text: &Text) -> TokenStream {
    if let [Part::Lit(lit)] = &text.parts[..] {
        return quote! { #lit };
    }
    let out = local("text");
    let parts = text.parts.iter().map(|part| match part {
        Part::Lit(lit) => quote! { #out.push_str(#lit); },
        Part::Expr(expr) => quote_spanned! {expr.span()=>
            ::finchat_cui::__private::push_display(&mut #out, &#expr);
        },
    });
    quote! {{
        let mut #out = ::std::string::String::new();
        #(#parts)*
        #out
    }}
}
