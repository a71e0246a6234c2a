//! The standalone preview page: any content, with the stylesheet inline.

use std::fmt::{self, Write};

use super::STYLESHEET;
use super::html::{esc, write_card, write_figure, write_link};
use super::options::HtmlOptions;
use super::text::plain_text;
use crate::{FileContent, ImageContent, MessageContent, OtherContent, TextCardContent};

/// A standalone HTML5 page previewing any content, with its stylesheet inline and no scripts or
/// external resources: a card as [`html_card`](super::html_card) draws it, a text card, an image,
/// a file, a text, or content of another msgtype as its pretty-printed JSON.
///
/// ```
/// use finchat_cui::render::{html_page, HtmlOptions};
/// use finchat_cui::MessageContent;
/// let page = html_page(&MessageContent::text("你好"), &HtmlOptions::new());
/// assert!(page.starts_with("<!doctype html>"));
/// assert!(page.contains("<title>你好 · m.text</title>"));
/// ```
pub fn html_page(content: &MessageContent, options: &HtmlOptions) -> String {
    let mut out = String::new();
    // Writing into a String never fails (its `fmt::Write` always returns `Ok`), so there is no
    // error to handle.
    let _ = write_page(&mut out, content, options);
    out
}

fn write_page(out: &mut String, content: &MessageContent, options: &HtmlOptions) -> fmt::Result {
    write!(
        out,
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n<body>\n\
         <main class=\"cui-preview\">\n<p class=\"cui-kind\"><code>{}</code></p>\n",
        esc(&page_title(content)),
        esc(content.msgtype()),
    )?;
    match content {
        MessageContent::Text(text) | MessageContent::Alert(text) => writeln!(
            out,
            "<div class=\"cui-card cui-message\"><p class=\"cui-text\">{}</p></div>",
            esc(&text.body)
        )?,
        MessageContent::TextCard(card) => write_text_card(out, card)?,
        MessageContent::Image(image) => write_image_content(out, image, options)?,
        MessageContent::File(file) => write_file(out, file, options)?,
        MessageContent::Cui(cui) => {
            write_card(out, &cui.info, options)?;
            writeln!(
                out,
                "<p class=\"cui-caption\">通知文本：{}</p>",
                esc(&cui.body)
            )?;
        }
        MessageContent::Other(other) => write_other_content(out, other)?,
    }
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(())
}

/// The first line of the plain text, shortened, with the msgtype: enough to tell tabs apart.
fn page_title(content: &MessageContent) -> String {
    let text = plain_text(content);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    match line {
        Some(line) if line.chars().count() > 40 => {
            format!(
                "{}… · {}",
                line.chars().take(40).collect::<String>(),
                content.msgtype()
            )
        }
        Some(line) => format!("{line} · {}", content.msgtype()),
        None => format!("{} 预览", content.msgtype()),
    }
}

fn write_text_card(out: &mut String, card: &TextCardContent) -> fmt::Result {
    let info = &card.info;
    write!(
        out,
        "<article class=\"cui-card cui-textcard\">\n<h2 class=\"cui-title\">{}</h2>\n\
         <p class=\"cui-text\">{}</p>\n<div class=\"cui-actions\">",
        esc(&info.title),
        esc(&info.description),
    )?;
    write_link(
        out,
        None,
        "cui-button cui-primary cui-link",
        info.url.as_str(),
        &info.btntext,
    )?;
    out.push_str("</div>\n</article>\n");
    Ok(())
}

fn write_image_content(
    out: &mut String,
    image: &ImageContent,
    options: &HtmlOptions,
) -> fmt::Result {
    let info = image.info.as_ref();
    let mut details = Vec::new();
    if let Some((w, h)) = info.and_then(|i| i.w.zip(i.h)) {
        details.push(format!("{w}×{h}"));
    }
    details.extend(info.and_then(|i| i.size).map(human_size));
    let caption = if details.is_empty() {
        image.body.clone()
    } else {
        format!("{} · {}", image.body, details.join(" · "))
    };
    out.push_str("<div class=\"cui-card cui-media\">\n");
    write_figure(
        out,
        None,
        &image.o_url,
        &image.body,
        options,
        Some(&caption),
    )?;
    out.push_str("</div>\n");
    Ok(())
}

fn write_file(out: &mut String, file: &FileContent, options: &HtmlOptions) -> fmt::Result {
    out.push_str(
        "<div class=\"cui-card cui-file\"><span class=\"cui-file-icon\" aria-hidden=\"true\">文件</span>\
         <span class=\"cui-file-text\">",
    );
    match options.media_url(&file.o_url) {
        Some(href) => write!(
            out,
            "<a class=\"cui-file-name\" href=\"{}\" download=\"{}\">{}</a>",
            esc(&href),
            esc(&file.body),
            esc(&file.body)
        )?,
        None => write!(
            out,
            "<span class=\"cui-file-name\">{}</span>",
            esc(&file.body)
        )?,
    }
    let info = file.info.as_ref();
    let mut details: Vec<String> = info
        .and_then(|i| i.size)
        .map(human_size)
        .into_iter()
        .collect();
    details.extend(
        info.and_then(|i| i.mimetype.clone())
            .filter(|m| !m.is_empty()),
    );
    if options.media_base_url.is_none() {
        details.push(file.o_url.to_string());
    }
    writeln!(
        out,
        "<span class=\"cui-file-meta\">{}</span></span></div>",
        esc(&details.join(" · "))
    )
}

fn write_other_content(out: &mut String, other: &OtherContent) -> fmt::Result {
    let json = serde_json::to_string_pretty(other.raw()).unwrap_or_default();
    let msgtype = match other.msgtype() {
        "" => "(无 msgtype)",
        msgtype => msgtype,
    };
    write!(
        out,
        "<div class=\"cui-card cui-other\">\n<div class=\"cui-unsupported\" role=\"note\">\
         暂不支持的消息类型 <code>{}</code></div>\n<pre>{}</pre>\n</div>\n",
        esc(msgtype),
        esc(&json)
    )
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::approval_card;

    #[test]
    fn pages_are_standalone_for_every_content_type() {
        let mxc = || "mxc://example.org/abc".parse().unwrap();
        let contents: Vec<MessageContent> = vec![
            MessageContent::text("hello <world>"),
            TextCardContent::new(
                "标题",
                "内容",
                "https://example.org/".parse().unwrap(),
                "打开",
            )
            .into(),
            ImageContent::new("a.png", mxc())
                .dimensions(750, 1334)
                .into(),
            FileContent::new("a.pdf", mxc()).size(1_234_242).into(),
            approval_card().into(),
            serde_json::from_str(r#"{"msgtype":"m.location","geo_uri":"<geo:1,2>"}"#).unwrap(),
        ];
        for content in &contents {
            let page = html_page(content, &HtmlOptions::new());
            assert!(
                page.starts_with("<!doctype html>\n<html lang=\"zh-CN\">"),
                "{page}"
            );
            assert!(page.contains("<meta charset=\"utf-8\">"));
            assert!(page.contains("<style>\n") && page.contains(".cui-card"));
            assert!(
                !page.contains("<script") && !page.contains("url("),
                "{page}"
            );
            assert!(page.ends_with("</html>\n"));
        }
        let page = |i: usize| html_page(&contents[i], &HtmlOptions::new());
        assert!(page(0).contains("<title>hello &lt;world&gt; · m.text</title>"));
        assert!(page(1).contains("<h2 class=\"cui-title\">标题</h2>"));
        assert!(page(2).contains("a.png · 750×1334"));
        assert!(page(3).contains("1.2 MB · mxc://example.org/abc"));
        assert!(page(4).contains("<form class=\"cui-card\""));
        assert!(page(5).contains("暂不支持的消息类型 <code>m.location</code>"));
        assert!(page(5).contains("&quot;geo_uri&quot;: &quot;&lt;geo:1,2&gt;&quot;"));
    }
}
