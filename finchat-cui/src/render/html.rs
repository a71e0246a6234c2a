//! The HTML preview of a card: a plain `<form>` (no JavaScript), and the helpers pages share.

use std::fmt::{self, Write};

use super::options::HtmlOptions;
use super::relations::{FieldRelations, card_title, is_error_line};
use super::text::{field_label, selected_option_index};
use crate::element::{Divider, Dropdown, OtherElement, Reply, TextInput};
use crate::{Card, Element, MxcUri, Status};

/// A card as an HTML fragment: one `<form class="cui-card">` with one `<fieldset>`.
///
/// Inputs keep their keys as field names, a reply button submits `key=value`, the submit button
/// `action=submit`. A `loading` or `disable` card has its fieldset disabled; its state shows as a
/// badge. Every piece of text from the card is escaped, and every `href` and `src` is an
/// `http(s)://` URL: a link button whose URL is spelled otherwise is drawn without its link, and
/// media follow [`HtmlOptions::media_base_url`]. Style it with
/// [`STYLESHEET`](super::STYLESHEET).
///
/// # Ids, labels and errors
///
/// Element `i` of `info.elements` is drawn with the id `{prefix}-e{i}` (on the input, select or
/// button itself for fields and buttons), the prefix being [`HtmlOptions::id_prefix`] (`cui`
/// without one). Every input and dropdown has an accessible name:
///
/// - a text element right before it is its label: the field points at it with
///   `aria-labelledby` and shows no label of its own (its placeholder stays inside it);
/// - else its placeholder, else its key, drawn as a visible `<label>` around it.
///
/// Field errors follow the card registry's convention: a text starting with `⚠` is an error
/// line, drawn with `role="alert"` (class `cui-error`); the `⚠` lines right after an input or
/// dropdown are its errors, so the field gets `aria-invalid="true"` and `aria-describedby`
/// naming them. (After a failed submission the registry puts a summary line first and a `⚠` line
/// under each bad field.) A text that is the card's first element names the whole form
/// (`aria-labelledby`). [`HtmlOptions::notes`] are drawn right after their element, also with
/// `role="alert"`, and describe it when it is a field.
///
/// ```
/// use finchat_cui::element::TextInput;
/// use finchat_cui::render::{html_card, HtmlOptions};
/// use finchat_cui::Card;
/// let card = Card::form()
///     .text("<b>金额</b>")
///     .input(TextInput::new("amount").value("一千"))
///     .text("⚠ 应为整数");
/// let html = html_card(&card, &HtmlOptions::new().id_prefix("card-7"));
/// assert!(html.contains(r#"<p id="card-7-e0" class="cui-text">&lt;b&gt;金额&lt;/b&gt;</p>"#));
/// assert!(html.contains(
///     r#"<input id="card-7-e1" type="text" name="amount" aria-labelledby="card-7-e0" aria-invalid="true" aria-describedby="card-7-e2" value="一千">"#
/// ));
/// assert!(html.contains(r#"<p id="card-7-e2" class="cui-text cui-error" role="alert">⚠ 应为整数</p>"#));
/// ```
pub fn html_card(card: &Card, options: &HtmlOptions) -> String {
    let mut out = String::new();
    // Writing into a String never fails (its `fmt::Write` always returns `Ok`), so there is no
    // error to handle.
    let _ = write_card(&mut out, card, options);
    out
}

/// The `<form>` of [`html_card`], appended to `out`.
pub(super) fn write_card(out: &mut String, card: &Card, options: &HtmlOptions) -> fmt::Result {
    write!(
        out,
        "<form class=\"cui-card\" data-status=\"{}\" method=\"post\"",
        esc(card.status.as_str())
    )?;
    if let Some(action) = &options.form_action {
        write!(out, " action=\"{}\"", esc(action))?;
    }
    if let Some(title) = card_title(&card.elements) {
        write!(
            out,
            " aria-labelledby=\"{}\"",
            esc(&options.element_id(title))
        )?;
    }
    if card.status == Status::Loading {
        out.push_str(" aria-busy=\"true\"");
    }
    out.push_str(">\n");
    write_header(out, card)?;
    out.push_str(if is_read_only(Some(&card.status)) {
        "<fieldset disabled>\n"
    } else {
        "<fieldset>\n"
    });
    write_elements(out, &card.elements, options)?;
    out.push_str("</fieldset>\n</form>\n");
    Ok(())
}

/// Whether a card or a reply button in this state takes no input.
fn is_read_only(status: Option<&Status>) -> bool {
    matches!(status, Some(Status::Loading | Status::Disable))
}

/// The status badge, and who the card belongs to when it is exclusive.
fn write_header(out: &mut String, card: &Card) -> fmt::Result {
    out.push_str("<div class=\"cui-header\">");
    match &card.status {
        Status::Input => out.push_str("<span class=\"cui-badge\">输入中</span>"),
        Status::Loading => out.push_str(
            "<span class=\"cui-badge\" role=\"status\">\
             <span class=\"cui-spinner\" aria-hidden=\"true\"></span>处理中…</span>",
        ),
        Status::Disable => out.push_str("<span class=\"cui-badge\">已处理</span>"),
        unknown => write!(
            out,
            "<span class=\"cui-badge\">状态 {}</span>",
            esc(unknown.as_str())
        )?,
    }
    if !card.shared {
        let fcids: Vec<&str> = card.fcids.iter().flatten().map(|f| f.as_str()).collect();
        out.push_str("<span class=\"cui-audience\" title=\"专属卡片：每位用户各自一份，更新只改列出用户的那一份\">");
        if fcids.is_empty() {
            out.push_str("专属卡片");
        } else {
            write!(out, "专属卡片 · {}", esc(&fcids.join("、")))?;
        }
        out.push_str("</span>");
    }
    out.push_str("</div>\n");
    Ok(())
}

/// The elements top to bottom, each followed by its notes; consecutive buttons share one row.
fn write_elements(out: &mut String, elements: &[Element], options: &HtmlOptions) -> fmt::Result {
    let mut in_row = false;
    for (index, element) in elements.iter().enumerate() {
        let is_button = matches!(
            element,
            Element::Submit(_) | Element::Reply(_) | Element::OpenUrl(_)
        );
        if is_button && !in_row {
            out.push_str("<div class=\"cui-actions\">\n");
        } else if !is_button && in_row {
            out.push_str("</div>\n");
        }
        in_row = is_button;
        write_element(out, elements, index, options)?;
        write_notes(out, index, options)?;
    }
    if in_row {
        out.push_str("</div>\n");
    }
    Ok(())
}

/// The notes [`HtmlOptions::notes`] gives element `index`, as one alert list.
fn write_notes(out: &mut String, index: usize, options: &HtmlOptions) -> fmt::Result {
    let Some(notes) = options.notes.get(&index).filter(|n| !n.is_empty()) else {
        return Ok(());
    };
    write!(
        out,
        "<div id=\"{}\" class=\"cui-notes\" role=\"alert\"><ul>",
        esc(&options.notes_id(index))
    )?;
    for note in notes {
        write!(out, "<li>{}</li>", esc(note))?;
    }
    out.push_str("</ul></div>\n");
    Ok(())
}

fn write_element(
    out: &mut String,
    elements: &[Element],
    index: usize,
    options: &HtmlOptions,
) -> fmt::Result {
    let id = options.element_id(index);
    let id = id.as_str();
    let element = &elements[index];
    match element {
        Element::TextInput(input) => write_text_input(
            out,
            id,
            input,
            &FieldRelations::of(elements, index, options),
        ),
        Element::Dropdown(dropdown) => write_dropdown(
            out,
            id,
            dropdown,
            &FieldRelations::of(elements, index, options),
        ),
        Element::Text(text) if is_error_line(element) => writeln!(
            out,
            "<p id=\"{}\" class=\"cui-text cui-error\" role=\"alert\">{}</p>",
            esc(id),
            esc(&text.value)
        ),
        Element::Text(text) => writeln!(
            out,
            "<p id=\"{}\" class=\"cui-text\">{}</p>",
            esc(id),
            esc(&text.value)
        ),
        Element::Divider(divider) => write_divider(out, id, divider),
        Element::Image(image) => write_figure(out, Some(id), &image.o_url, "图片", options, None),
        Element::Submit(submit) => writeln!(
            out,
            "<button id=\"{}\" type=\"submit\" class=\"cui-button cui-primary\" name=\"action\" \
             value=\"submit\">{}</button>",
            esc(id),
            esc(&submit.value)
        ),
        Element::Reply(reply) => write_reply(out, id, reply),
        Element::OpenUrl(link) => {
            write_link(
                out,
                Some(id),
                "cui-button cui-link",
                link.action.as_str(),
                &link.value,
            )?;
            out.push('\n');
            Ok(())
        }
        Element::Other(other) => write_unsupported_element(out, id, other),
    }
}

/// ` id="…"`, or nothing.
fn id_attribute(id: Option<&str>) -> String {
    id.map(|id| format!(" id=\"{}\"", esc(id)))
        .unwrap_or_default()
}

/// A link button opening `url` in a new tab, or the same button without a link when `url` is not
/// [plainly http(s)](super::links::plain_http).
pub(super) fn write_link(
    out: &mut String,
    id: Option<&str>,
    class: &str,
    url: &str,
    text: &str,
) -> fmt::Result {
    let id = id_attribute(id);
    match super::links::plain_http(url) {
        Some(href) => write!(
            out,
            "<a{id} class=\"{class}\" href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
            esc(href),
            esc(text)
        ),
        None => write!(out, "<span{id} class=\"{class}\">{}</span>", esc(text)),
    }
}

fn write_divider(out: &mut String, id: &str, divider: &Divider) -> fmt::Result {
    // Only the typed fields reach the style: a u32 and a checked `Color`, so no CSS can be injected.
    let mut style = String::new();
    if let Some(height) = divider.height {
        write!(style, "height:{height}px;")?;
    }
    if let Some(color) = &divider.background {
        write!(style, "background:{color};")?;
    }
    if style.is_empty() {
        writeln!(out, "<hr id=\"{}\">", esc(id))
    } else {
        writeln!(out, "<hr id=\"{}\" style=\"{}\">", esc(id), esc(&style))
    }
}

/// A picture, or without a media base URL a placeholder naming its `mxc://` URI.
pub(super) fn write_figure(
    out: &mut String,
    id: Option<&str>,
    uri: &MxcUri,
    alt: &str,
    options: &HtmlOptions,
    caption: Option<&str>,
) -> fmt::Result {
    let src = options.media_url(uri);
    let id = id_attribute(id);
    match &src {
        Some(src) => write!(
            out,
            "<figure{id} class=\"cui-image\"><img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
            esc(src),
            esc(alt)
        )?,
        None => write!(
            out,
            "<figure{id} class=\"cui-image cui-placeholder\">\
             <div class=\"cui-placeholder-box\" role=\"img\" aria-label=\"{}\">图片</div>",
            esc(alt)
        )?,
    }
    // A figure has at most one caption: the given one, then the URI the placeholder stands for.
    if caption.is_some() || src.is_none() {
        out.push_str("<figcaption>");
        if let Some(caption) = caption {
            write!(out, "<span>{}</span>", esc(caption))?;
        }
        if src.is_none() {
            write!(out, "<code>{}</code>", esc(uri.as_str()))?;
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>\n");
    Ok(())
}

fn write_text_input(
    out: &mut String,
    id: &str,
    input: &TextInput,
    relations: &FieldRelations,
) -> fmt::Result {
    relations.open(out, field_label(input.placeholder.as_deref(), &input.key))?;
    write!(
        out,
        "<input id=\"{}\" type=\"text\" name=\"{}\"",
        esc(id),
        esc(&input.key)
    )?;
    relations.write(out)?;
    if let Some(placeholder) = &input.placeholder {
        write!(out, " placeholder=\"{}\"", esc(placeholder))?;
    }
    if let Some(value) = &input.value {
        write!(out, " value=\"{}\"", esc(value))?;
    }
    out.push('>');
    relations.close(out);
    Ok(())
}

fn write_dropdown(
    out: &mut String,
    id: &str,
    dropdown: &Dropdown,
    relations: &FieldRelations,
) -> fmt::Result {
    relations.open(
        out,
        field_label(dropdown.placeholder.as_deref(), &dropdown.key),
    )?;
    write!(
        out,
        "<select id=\"{}\" name=\"{}\"",
        esc(id),
        esc(&dropdown.key)
    )?;
    relations.write(out)?;
    out.push_str(">\n");
    let selected = selected_option_index(dropdown);
    if selected.is_none() {
        let prompt = dropdown
            .placeholder
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or("请选择");
        writeln!(out, "<option value=\"\" selected>{}</option>", esc(prompt))?;
    }
    for (i, option) in dropdown.options.iter().enumerate() {
        writeln!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            esc(&option.value),
            if selected == Some(i) { " selected" } else { "" },
            esc(&option.label)
        )?;
    }
    out.push_str("</select>");
    relations.close(out);
    Ok(())
}

fn write_reply(out: &mut String, id: &str, reply: &Reply) -> fmt::Result {
    writeln!(
        out,
        "<button id=\"{}\" type=\"submit\" class=\"cui-button\" name=\"{}\" value=\"{}\"{}>{}</button>",
        esc(id),
        esc(&reply.key),
        esc(&reply.value),
        if is_read_only(reply.status.as_ref()) {
            " disabled"
        } else {
            ""
        },
        esc(&reply.value)
    )
}

fn write_unsupported_element(out: &mut String, id: &str, other: &OtherElement) -> fmt::Result {
    writeln!(
        out,
        "<div id=\"{}\" class=\"cui-unsupported\" role=\"note\">暂不支持的元素 <code>{}/{}</code></div>",
        esc(id),
        esc(other.element_type().unwrap_or("?")),
        esc(other.subtype().unwrap_or("?"))
    )
}

/// Text made safe for HTML text and quoted attribute values; see [`escape_html`].
pub struct Escaped<'a>(&'a str);

/// `text` made safe for HTML text and quoted attribute values (`& < > " '` escaped), as `Display`.
///
/// ```
/// use finchat_cui::render::escape_html;
/// assert_eq!(escape_html("<b>\"1\" & '2'</b>").to_string(), "&lt;b&gt;&quot;1&quot; &amp; &#39;2&#39;&lt;/b&gt;");
/// ```
pub fn escape_html(text: &str) -> Escaped<'_> {
    Escaped(text)
}

pub(super) use escape_html as esc;

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::Text;
    use crate::render::fixtures::approval_card;

    fn card_html(card: &Card) -> String {
        html_card(card, &HtmlOptions::new())
    }

    #[test]
    fn escape_covers_the_five_special_characters() {
        assert_eq!(
            esc(r#"<a href="x" title='y'>&amp;</a>"#).to_string(),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(esc("报销 #42").to_string(), "报销 #42");
    }

    #[test]
    fn script_in_a_text_element_is_escaped() {
        let html = card_html(&Card::form().text("<script>alert('x')</script>"));
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains(
                "<p id=\"cui-e0\" class=\"cui-text\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn script_in_an_attribute_is_escaped() {
        let card = Card::form()
            .input(TextInput::new("a\"><script>x</script>").value("\" onfocus=\"alert(1)"))
            .reply(Reply::new("k", "'><script>y</script>"));
        let html = card_html(&card);
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("name=\"a&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""),
            "{html}"
        );
        assert!(
            html.contains("value=\"&quot; onfocus=&quot;alert(1)\""),
            "{html}"
        );
        assert!(
            html.contains("value=\"&#39;&gt;&lt;script&gt;y&lt;/script&gt;\""),
            "{html}"
        );
    }

    #[test]
    fn loading_and_disabled_cards_have_a_disabled_fieldset() {
        let card = approval_card();
        let input = card_html(&card);
        assert!(
            input.starts_with(
                "<form class=\"cui-card\" data-status=\"input\" method=\"post\" aria-labelledby=\"cui-e0\">"
            ),
            "{input}"
        );
        assert!(input.contains("<fieldset>\n") && input.contains("输入中"));

        let loading = card_html(&card.with_status(Status::Loading));
        assert!(loading.contains("data-status=\"loading\""));
        assert!(loading.contains("aria-busy=\"true\""));
        assert!(loading.contains("<fieldset disabled>") && loading.contains("处理中…"));
        assert!(loading.contains("cui-spinner"));

        let disabled = card_html(&card.with_status(Status::Disable));
        assert!(disabled.contains("data-status=\"disable\""));
        assert!(!disabled.contains("aria-busy"));
        assert!(disabled.contains("<fieldset disabled>") && disabled.contains("已处理"));
    }

    #[test]
    fn the_chosen_option_is_selected() {
        let html = card_html(&approval_card());
        assert!(
            html.contains("<select id=\"cui-e5\" name=\"dept\">"),
            "{html}"
        );
        assert!(html.contains("<option value=\"fin\">财务部</option>"));
        assert!(html.contains("<option value=\"ops\" selected>运营部</option>"));
        assert!(!html.contains("<option value=\"\""), "{html}");
    }

    #[test]
    fn nothing_chosen_selects_the_placeholder_option() {
        let dropdown = Dropdown::new("size").placeholder("尺码").option("大", "l");
        let html = card_html(&Card::form().dropdown(dropdown));
        assert!(html.contains(
            "<option value=\"\" selected>尺码</option>\n<option value=\"l\">大</option>"
        ));
    }

    #[test]
    fn reply_buttons_submit_their_key_and_value() {
        let html = card_html(&approval_card());
        assert!(html.contains(
            "<button id=\"cui-e7\" type=\"submit\" class=\"cui-button\" name=\"decision\" value=\"同意\">同意</button>"
        ));
        let handled = Reply::new("decision", "驳回").status(Status::Disable);
        let html = card_html(&Card::form().reply(handled).submit("提交"));
        assert!(
            html.contains("name=\"decision\" value=\"驳回\" disabled>"),
            "{html}"
        );
        assert!(html.contains("name=\"action\" value=\"submit\">提交</button>"));
    }

    #[test]
    fn consecutive_buttons_share_one_row() {
        let html = card_html(&approval_card());
        assert_eq!(html.matches("<div class=\"cui-actions\">").count(), 1);
        assert!(html.contains(
            "href=\"https://oa.example.org/expense/42\" target=\"_blank\" rel=\"noopener noreferrer\">查看详情</a>"
        ));
    }

    #[test]
    fn unsupported_elements_are_shown() {
        let card: Card = serde_json::from_value(serde_json::json!({
            "type": "form", "status": "input", "shared": true, "fcids": [],
            "elements": [{ "type": "chart", "subtype": "<pie>" }],
        }))
        .unwrap();
        assert!(
            card_html(&card).contains(
                "<div id=\"cui-e0\" class=\"cui-unsupported\" role=\"note\">暂不支持的元素 <code>chart/&lt;pie&gt;</code></div>"
            )
        );
    }

    #[test]
    fn exclusive_cards_name_their_users_and_shared_ones_say_nothing() {
        let html = card_html(&approval_card());
        assert!(
            html.contains("专属卡片 · @manager:example.org</span>"),
            "{html}"
        );
        assert!(!card_html(&Card::form().text("x")).contains("专属卡片"));
    }

    #[test]
    fn dividers_carry_only_their_typed_style() {
        let html = card_html(&approval_card().element(Text::new("x")).divider());
        assert!(html.contains("<hr id=\"cui-e2\" style=\"height:1px;background:#e5e6eb;\">"));
        assert!(html.contains("<hr id=\"cui-e11\">\n"), "{html}");
    }

    #[test]
    fn media_links_under_the_base_url_or_show_the_mxc_uri() {
        let card = approval_card();
        let placeholder = card_html(&card);
        assert!(placeholder.contains("<code>mxc://example.org/Receipt42</code>"));
        assert!(!placeholder.contains("<img"));

        let options = HtmlOptions::new()
            .media_base_url("https://media.example.org/download/")
            .form_action("/cui?card=42&x=1");
        let linked = html_card(&card, &options);
        assert!(linked.contains(
            "<img src=\"https://media.example.org/download/example.org/Receipt42\" alt=\"图片\""
        ));
        assert!(linked.contains("method=\"post\" action=\"/cui?card=42&amp;x=1\""));
    }
}
