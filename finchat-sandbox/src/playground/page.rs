//! The playground's HTML: the sample list, the text box, and what was read: problems about the
//! whole content above the card, the content's lints (warnings, with hints), each element's
//! problems beside it, and the reproduce link.
//!
//! Ids a browser test can rely on: `playground-sample`, `playground-load`, `playground-content`,
//! `playground-draw`, `playground-result`, `playground-summary` (with `data-problems`),
//! `playground-problems`, `playground-warnings-summary` (with `data-warnings`), `playground-warnings`,
//! `playground-card` (elements `playground-card-e{i}`, their problems
//! `playground-card-e{i}-notes`), `playground-link`, `playground-submission`.

use std::fmt::{self, Write};

use finchat_cui::render::escape_html as esc;

use super::{Finding, MAX_CONTENT_BYTES, PATH, Reading, SAMPLES, draw, link_with};
use crate::inspector::PAGE as INSPECTOR;
use crate::page::{write_document_start, write_error};

/// Where the page's forms land: the result, which takes the focus (it is focusable), so that a
/// screen reader reads what was drawn and the keyboard carries on from there.
const RESULT_ID: &str = "playground-result";

/// What the page shows.
pub(crate) struct View {
    /// The text in the box.
    pub text: String,
    /// The data a template is rendered with (JSON), in its own box.
    pub data: String,
    /// The sample the text came from.
    pub sample: Option<&'static str>,
    /// A mistake in the request itself (an unknown sample).
    pub error: Option<String>,
    /// What was made of the text.
    pub outcome: Outcome,
    /// What the bot receives from the pressed card, as pretty JSON.
    pub submission: Option<String>,
}

/// What was made of the text.
pub(crate) enum Outcome {
    /// There was no text.
    Nothing,
    /// The text was refused unread (too large).
    Refused(String),
    /// The text was read.
    Read(Box<Reading>),
}

/// The whole page.
pub(crate) fn render(view: &View) -> String {
    let mut out = String::new();
    // Writing into a String never fails.
    let _ = write_page(&mut out, view);
    out
}

fn write_page(out: &mut String, view: &View) -> fmt::Result {
    write_document_start(
        out,
        "卡片试验台 · FinChat sandbox",
        format_args!("class=\"sb sb-playground\""),
    )?;
    write!(
        out,
        "<header class=\"sb-header\">\n<span class=\"sb-brand\">FinChat sandbox</span>\n\
         <nav class=\"sb-pages\" aria-label=\"页面\"><a href=\"/\">房间</a>\
         <a href=\"{PATH}\" aria-current=\"page\">卡片试验台</a>\
         <a href=\"{INSPECTOR}\">活动记录</a></nav>\n</header>\n\
         <main class=\"sb-workbench\">\n<h1>卡片试验台</h1>\n"
    )?;
    if let Some(error) = &view.error {
        write_error(out, error)?;
    }
    write_samples(out, view.sample)?;
    write_editor(out, &view.text, &view.data)?;
    write_outcome(out, view)?;
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(())
}

/// The result section, when there was text: why it was refused, or what was read.
fn write_outcome(out: &mut String, view: &View) -> fmt::Result {
    if let Outcome::Nothing = view.outcome {
        return Ok(());
    }
    writeln!(
        out,
        "<section id=\"{RESULT_ID}\" class=\"sb-result\" tabindex=\"-1\" aria-labelledby=\"{RESULT_ID}-title\">\n\
         <h2 id=\"{RESULT_ID}-title\">结果</h2>"
    )?;
    match &view.outcome {
        Outcome::Nothing => {}
        Outcome::Refused(why) => writeln!(
            out,
            "<p id=\"playground-summary\" class=\"sb-error\" role=\"alert\" data-problems=\"1\">{}</p>",
            esc(why)
        )?,
        Outcome::Read(reading) => write_reading(
            out,
            reading,
            &view.text,
            &view.data,
            view.submission.as_deref(),
        )?,
    }
    out.push_str("</section>\n");
    Ok(())
}

fn write_samples(out: &mut String, chosen: Option<&str>) -> fmt::Result {
    write!(
        out,
        "<form class=\"sb-samples\" method=\"get\" action=\"{PATH}#{RESULT_ID}\">\
         <label for=\"playground-sample\">示例卡片</label>\
         <select id=\"playground-sample\" name=\"sample\">"
    )?;
    for sample in SAMPLES {
        write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            esc(sample.name),
            if chosen == Some(sample.name) {
                " selected"
            } else {
                ""
            },
            esc(sample.title)
        )?;
    }
    out.push_str(
        "</select><button type=\"submit\" id=\"playground-load\">载入示例</button></form>\n",
    );
    Ok(())
}

fn write_editor(out: &mut String, text: &str, data: &str) -> fmt::Result {
    writeln!(
        out,
        "<form class=\"sb-editor\" method=\"get\" action=\"{PATH}#{RESULT_ID}\">\n\
         <label for=\"playground-content\">消息内容（JSON）</label>\n\
         <p id=\"playground-help\" class=\"sb-meta\">一条消息的内容（<code>{{\"msgtype\": \"m.cui\", \"body\": …, \"info\": {{…}}}}</code>，\
         任何 msgtype），或只是一张卡片（没有 <code>msgtype</code>、有 <code>elements</code> 的对象：\
         当作 <code>m.cui</code> 消息的 <code>info</code> 读取，问题的路径从 <code>info</code> 开始）。\
         也可以是卡片模板（以标签开头：<code>cui!</code> 的语法，加上 <code>{{路径}}</code>、\
         <code>&lt;for&gt;</code> 和 <code>&lt;if&gt;</code>），用下面的数据渲染。\
         最多 {} KiB。卡片按房间页的样子绘制，每个问题显示在它所说的元素之后。</p>\n\
         <textarea id=\"playground-content\" name=\"content\" rows=\"16\" spellcheck=\"false\" \
         autocomplete=\"off\" aria-describedby=\"playground-help\">{}</textarea>\n\
         <label for=\"playground-data\">模板数据（JSON，只用于模板）</label>\n\
         <textarea id=\"playground-data\" name=\"data\" rows=\"4\" spellcheck=\"false\" \
         autocomplete=\"off\">{}</textarea>\n\
         <button type=\"submit\" id=\"playground-draw\">绘制</button>\n</form>",
        MAX_CONTENT_BYTES / 1024,
        esc(text),
        esc(data)
    )
}

/// What was read: the summary, the problems about the whole content, the card with its
/// elements' problems, the submission of a pressed button and the reproduce link.
fn write_reading(
    out: &mut String,
    reading: &Reading,
    text: &str,
    data: &str,
    submission: Option<&str>,
) -> fmt::Result {
    let total = reading.findings.len();
    let general: Vec<&Finding> = reading
        .findings
        .iter()
        .filter(|f| f.element.is_none())
        .collect();
    let summary = match (total, general.len()) {
        (0, _) => "没有问题：这条内容可以发送。".to_owned(),
        (total, 0) => format!("{total} 个问题，都显示在它所说的元素之后。"),
        (total, general) if general == total => format!("{total} 个问题，列在下面。"),
        (total, general) => format!(
            "{total} 个问题：{general} 个关于整条内容，列在下面；{} 个显示在它所说的元素之后。",
            total - general
        ),
    };
    writeln!(
        out,
        "<p id=\"playground-summary\" data-problems=\"{total}\">{}</p>",
        esc(&summary)
    )?;
    if reading.bare_card {
        out.push_str(
            "<p class=\"sb-meta\" id=\"playground-read-as\">按卡片读取：它是一条 <code>m.cui</code> \
             消息的 <code>info</code>（body 为 <code>[交互卡片]</code>）。</p>\n",
        );
    }
    if !general.is_empty() {
        out.push_str("<ul id=\"playground-problems\" class=\"sb-problems\" role=\"alert\">\n");
        for finding in general {
            write_finding(out, finding)?;
        }
        out.push_str("</ul>\n");
    }
    if !reading.warnings.is_empty() {
        writeln!(
            out,
            "<p id=\"playground-warnings-summary\" data-warnings=\"{}\">{} 条建议：不影响发送，但会让卡片更好用。</p>\n\
             <ul id=\"playground-warnings\" class=\"sb-warnings\">",
            reading.warnings.len(),
            reading.warnings.len()
        )?;
        for warning in &reading.warnings {
            writeln!(
                out,
                "<li data-kind=\"{}\"><code>{}</code> {} <span class=\"sb-hint\">{}</span></li>",
                esc(warning.kind.as_str()),
                esc(&warning.path.to_string()),
                esc(&warning.message),
                esc(&warning.hint)
            )?;
        }
        out.push_str("</ul>\n");
    }
    let drawn = draw(reading, text, data);
    if !drawn.is_empty() {
        writeln!(out, "<div class=\"sb-drawn\">\n{drawn}</div>")?;
        if reading.content.as_ref().and_then(|c| c.card()).is_none() {
            out.push_str(
                "<p class=\"sb-meta\">这不是能绘制成卡片的 <code>m.cui</code> 内容，房间页也会这样显示它。</p>\n",
            );
        }
    }
    if let Some(submission) = submission {
        writeln!(
            out,
            "<section id=\"playground-submission\" tabindex=\"-1\" aria-labelledby=\"playground-submission-title\">\
             <h3 id=\"playground-submission-title\">提交预览</h3>\
             <p class=\"sb-meta\">在房间里按下这个按钮，机器人会收到 <code>finstore.room.interactcui</code> 事件，\
             其 <code>content</code> 为：</p><pre>{}</pre></section>",
            esc(submission)
        )?;
    }
    let href = link_with(text, data);
    writeln!(
        out,
        "<p class=\"sb-link\">复现链接（打开它会看到同一张卡片和同样的问题）：\
         <a id=\"playground-link\" href=\"{}\"><code>{}</code></a></p>",
        esc(&href),
        esc(&href)
    )?;
    Ok(())
}

fn write_finding(out: &mut String, finding: &Finding) -> fmt::Result {
    write!(
        out,
        "<li data-kind=\"{}\"><code>{}</code> {}",
        esc(finding.kind),
        esc(&finding.path),
        esc(&finding.message)
    )?;
    if let Some(excerpt) = &finding.excerpt {
        write!(
            out,
            "<pre class=\"sb-excerpt\">{}<mark>{}</mark>{}</pre>",
            esc(&excerpt.before),
            esc(&excerpt.at),
            esc(&excerpt.after)
        )?;
    }
    out.push_str("</li>\n");
    Ok(())
}
