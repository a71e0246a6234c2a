//! Which element of a card names or explains which: the text right before a field is its label,
//! and the `⚠` lines right after it are its errors.

use std::fmt::{self, Write};
use std::ops::Range;

use super::html::esc;
use super::options::HtmlOptions;
use crate::Element;

/// Whether `element` is an error line ([`Text::is_error`](crate::element::Text::is_error)): the
/// card registry writes a field's error back into the card as a text `⚠ …` right after the field.
pub(super) fn is_error_line(element: &Element) -> bool {
    matches!(element, Element::Text(text) if text.is_error())
}

/// The index of the text that labels the field at `index`: the element right before it, when
/// that is a text with something to read that is not an error line (an error line belongs to the
/// field before it).
pub(crate) fn label_of(elements: &[Element], index: usize) -> Option<usize> {
    let before = index.checked_sub(1)?;
    match elements.get(before)? {
        Element::Text(text)
            if !text.value.trim().is_empty() && !is_error_line(&elements[before]) =>
        {
            Some(before)
        }
        _ => None,
    }
}

/// The indices of the error lines of the field at `index`: the `⚠` lines right after it.
fn errors_of(elements: &[Element], index: usize) -> Range<usize> {
    let start = index + 1;
    let count = elements
        .iter()
        .skip(start)
        .take_while(|e| is_error_line(e))
        .count();
    start..start + count
}

/// The text that names the whole card: its first element, when that is a text to read (a title,
/// or the registry's summary line after a failed submission).
pub(super) fn card_title(elements: &[Element]) -> Option<usize> {
    match elements.first()? {
        Element::Text(text) if !text.value.trim().is_empty() => Some(0),
        _ => None,
    }
}

/// What a field's `aria-*` attributes say: who labels it, what describes it, whether its value
/// was refused.
pub(super) struct FieldRelations {
    labelled_by: Option<String>,
    described_by: Vec<String>,
    invalid: bool,
}

impl FieldRelations {
    pub(super) fn of(elements: &[Element], index: usize, options: &HtmlOptions) -> Self {
        let errors = errors_of(elements, index);
        let mut described_by: Vec<String> = errors.clone().map(|i| options.element_id(i)).collect();
        if options.notes.get(&index).is_some_and(|n| !n.is_empty()) {
            described_by.push(options.notes_id(index));
        }
        Self {
            labelled_by: label_of(elements, index).map(|i| options.element_id(i)),
            described_by,
            invalid: !errors.is_empty(),
        }
    }

    pub(super) fn write(&self, out: &mut String) -> fmt::Result {
        if let Some(label) = &self.labelled_by {
            write!(out, " aria-labelledby=\"{}\"", esc(label))?;
        }
        if self.invalid {
            out.push_str(" aria-invalid=\"true\"");
        }
        if !self.described_by.is_empty() {
            write!(
                out,
                " aria-describedby=\"{}\"",
                esc(&self.described_by.join(" "))
            )?;
        }
        Ok(())
    }

    /// The field's wrapper: a `<div>` when a text labels it, else a `<label>` showing `label`.
    pub(super) fn open(&self, out: &mut String, label: &str) -> fmt::Result {
        if self.labelled_by.is_some() {
            out.push_str("<div class=\"cui-field\">");
            Ok(())
        } else {
            write!(
                out,
                "<label class=\"cui-field\"><span class=\"cui-label\">{}</span>",
                esc(label)
            )
        }
    }

    pub(super) fn close(&self, out: &mut String) {
        out.push_str(if self.labelled_by.is_some() {
            "</div>\n"
        } else {
            "</label>\n"
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Card;
    use crate::element::{Dropdown, TextInput};
    use crate::render::{HtmlOptions, html_card};

    fn elements() -> Vec<Element> {
        vec![
            Element::text("金额"),
            TextInput::new("amount").into(),
            Element::text("⚠ 应为整数"),
            Element::text("  ⚠ 超出额度"),
            Dropdown::new("dept").option("财务部", "fin").into(),
            Element::text(" "),
            TextInput::new("comment").into(),
        ]
    }

    #[test]
    fn a_text_right_before_a_field_labels_it_unless_it_is_an_error_or_blank() {
        let elements = elements();
        assert_eq!(label_of(&elements, 1), Some(0));
        assert_eq!(label_of(&elements, 4), None, "an error line labels nothing");
        assert_eq!(label_of(&elements, 6), None, "a blank text labels nothing");
        assert_eq!(label_of(&elements, 0), None);
    }

    #[test]
    fn the_warning_lines_right_after_a_field_are_its_errors() {
        let elements = elements();
        assert_eq!(errors_of(&elements, 1), 2..4);
        assert!(errors_of(&elements, 4).is_empty());
        assert!(errors_of(&elements, 6).is_empty());
        assert!(is_error_line(&elements[3]) && !is_error_line(&elements[0]));
    }

    /// Every value of `attribute="…"` in `html`.
    fn values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
        let needle = format!(" {attribute}=\"");
        html.match_indices(&needle)
            .map(|(at, _)| {
                let value = &html[at + needle.len()..];
                &value[..value.find('"').unwrap()]
            })
            .collect()
    }

    #[test]
    fn fields_are_labelled_by_the_text_before_them_else_their_placeholder_else_their_key() {
        let card = Card::form()
            .text("公司名称")
            .input(TextInput::new("company").placeholder("例如 FinChat"))
            .dropdown(
                Dropdown::new("size")
                    .placeholder("规模")
                    .option("小", "s")
                    .option("大", "l"),
            )
            .input(TextInput::new("note"));
        let html = html_card(&card, &HtmlOptions::new());
        assert!(
            html.contains(
                "<p id=\"cui-e0\" class=\"cui-text\">公司名称</p>\n\
                 <div class=\"cui-field\"><input id=\"cui-e1\" type=\"text\" name=\"company\" \
                 aria-labelledby=\"cui-e0\" placeholder=\"例如 FinChat\"></div>\n"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<label class=\"cui-field\"><span class=\"cui-label\">规模</span>\
                 <select id=\"cui-e2\" name=\"size\">\n"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<label class=\"cui-field\"><span class=\"cui-label\">note</span>\
                 <input id=\"cui-e3\" type=\"text\" name=\"note\"></label>\n"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_warning_line_after_a_field_is_an_alert_that_describes_it() {
        let card = Card::form()
            .text("提交未成功：2 处需要修改")
            .text("金额")
            .input(TextInput::new("amount").value("一千"))
            .text("⚠ 应为整数")
            .text("⚠ 超出额度")
            .dropdown(Dropdown::new("dept").option("财务部", "fin"))
            .input(TextInput::new("comment").placeholder("意见"));
        let html = html_card(&card, &HtmlOptions::new());
        assert!(
            html.contains(
                "<input id=\"cui-e2\" type=\"text\" name=\"amount\" aria-labelledby=\"cui-e1\" \
                 aria-invalid=\"true\" aria-describedby=\"cui-e3 cui-e4\" value=\"一千\">"
            ),
            "{html}"
        );
        assert!(html.contains(
            "<p id=\"cui-e3\" class=\"cui-text cui-error\" role=\"alert\">⚠ 应为整数</p>"
        ));
        assert!(html.contains(
            "<p id=\"cui-e4\" class=\"cui-text cui-error\" role=\"alert\">⚠ 超出额度</p>"
        ));
        // The field after an error line is not labelled by it, and is not invalid.
        assert!(
            html.contains(
                "<span class=\"cui-label\">dept</span><select id=\"cui-e5\" name=\"dept\">"
            ),
            "{html}"
        );
        assert_eq!(html.matches("aria-invalid").count(), 1, "{html}");
        // The summary names the card, so focusing the card reads it.
        assert!(html.starts_with(
            "<form class=\"cui-card\" data-status=\"input\" method=\"post\" aria-labelledby=\"cui-e0\">"
        ));
        assert!(html.contains("<p id=\"cui-e0\" class=\"cui-text\">提交未成功"));
    }

    #[test]
    fn ids_are_unique_on_a_page_with_two_cards() {
        let card = Card::form()
            .text("金额")
            .input(TextInput::new("amount"))
            .text("⚠ 应为整数")
            .submit("提交");
        let page: String = ["card-a", "card-b"]
            .into_iter()
            .map(|prefix| html_card(&card, &HtmlOptions::new().id_prefix(prefix).note(1, "x")))
            .collect();
        let mut ids = values(&page, "id");
        assert_eq!(ids.len(), 10, "{page}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10, "an id is used twice: {page}");
        // Every reference points at an id of its own card.
        for attribute in ["aria-labelledby", "aria-describedby"] {
            for (at, _) in page.match_indices(&format!(" {attribute}=\"")) {
                let form = page[..at].rfind("<form").unwrap();
                let rest = &page[at + attribute.len() + 3..];
                for id in rest[..rest.find('"').unwrap()].split(' ') {
                    let target = page.find(&format!(" id=\"{id}\"")).expect(id);
                    let target_form = page[..target].rfind("<form").unwrap();
                    assert_eq!(form, target_form, "{id} is in another card");
                }
            }
        }
    }

    #[test]
    fn an_id_prefix_with_whitespace_still_links_each_field_to_its_label_and_errors() {
        let card = Card::form()
            .text("金额")
            .input(TextInput::new("amount"))
            .text("⚠ 应为整数");
        let html = html_card(
            &card,
            &HtmlOptions::new().id_prefix("card 7\tx").note(1, "n"),
        );
        let ids = values(&html, "id");
        assert!(
            ids.iter()
                .all(|id| !id.contains(|c: char| c.is_ascii_whitespace())),
            "{html}"
        );
        let references: Vec<&str> = ["aria-labelledby", "aria-describedby"]
            .into_iter()
            .flat_map(|attribute| values(&html, attribute))
            .flat_map(|list| list.split_ascii_whitespace())
            .collect();
        assert_eq!(references.len(), 4, "{html}");
        for id in references {
            assert!(ids.contains(&id), "`{id}` names no element: {html}");
        }
    }

    #[test]
    fn notes_follow_their_element_and_describe_a_field() {
        let card = Card::form()
            .text("a")
            .input(TextInput::new("k"))
            .reply(crate::element::Reply::new("k", "<是>"))
            .submit("提交");
        let options = HtmlOptions::new()
            .note(1, "duplicate key \"k\"")
            .note(1, "second")
            .note(2, "<script>x</script>")
            .note(9, "past the end");
        let html = html_card(&card, &options);
        assert!(
            html.contains(
                "aria-labelledby=\"cui-e0\" aria-describedby=\"cui-e1-notes\"></div>\n\
                 <div id=\"cui-e1-notes\" class=\"cui-notes\" role=\"alert\"><ul>\
                 <li>duplicate key &quot;k&quot;</li><li>second</li></ul></div>\n"
            ),
            "{html}"
        );
        let reply = html.find("id=\"cui-e2\"").unwrap();
        let note = html.find("&lt;script&gt;x&lt;/script&gt;").unwrap();
        let submit = html.find("id=\"cui-e3\"").unwrap();
        assert!(reply < note && note < submit, "{html}");
        assert!(!html.contains("past the end") && !html.contains("<script>"));
    }
}
