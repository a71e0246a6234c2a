//! [`Notices`]: what the lifecycle tells people, and the lines it draws on cards.

/// The texts the lifecycle sends to a person (as a message in their direct room with the app) and
/// draws on cards. The defaults are in Chinese; `{by}` is replaced by who decided, `{n}` by a count.
///
/// ```
/// use finchat_client::cards::Notices;
///
/// let notices = Notices {
///     already_decided: "Already decided by {by}; your answer was not used.".into(),
///     ..Notices::default()
/// };
/// # let _ = notices;
/// ```
#[derive(Debug, Clone)]
pub struct Notices {
    /// To someone whose submission came after the card was decided.
    pub already_decided: String,
    /// To someone who is not one of the card's approvers.
    pub not_an_approver: String,
    /// To someone whose submission came after the card's deadline.
    pub expired: String,
    /// The line an expired card shows at the bottom.
    pub expired_line: String,
    /// The line at the top of a card sent back with errors (`{n}`: how many); shown after `⚠ `,
    /// as each error line is.
    pub errors_summary: String,
    /// The line of a card that was sent but could not be registered, closed at once.
    pub unregistered: String,
    /// Under an input left empty that the form needs.
    pub missing: String,
    /// Under an input whose value does not read as the field's type (`{found}`: the value,
    /// `{expected}`: what [`Notices::expected`] makes of the type's description).
    pub invalid: String,
    /// Under a dropdown whose value is not one of its options (`{found}`: the value).
    pub not_an_option: String,
    /// Words for what a field expects, from finchat-cui's description (e.g. `an integer from 0 to
    /// 255`); by default in Chinese for the descriptions finchat-cui uses, else the description.
    pub expected: fn(&'static str) -> String,
}

impl Default for Notices {
    fn default() -> Self {
        Self {
            already_decided: "此卡片已由 {by} 处理，你的提交未被采纳。".into(),
            not_an_approver: "你不是此卡片的审批人，提交未被采纳。".into(),
            expired: "此卡片已过期，提交未被采纳。".into(),
            expired_line: "已过期，未作决定".into(),
            errors_summary: "提交未成功：{n} 处需要修改".into(),
            unregistered: "此卡片未能登记，请重新发起".into(),
            missing: "必填".into(),
            invalid: "“{found}”无效，应为{expected}".into(),
            not_an_option: "“{found}”不是可选项".into(),
            expected: expected_in_chinese,
        }
    }
}

/// finchat-cui's descriptions of what a field expects, in Chinese.
fn expected_in_chinese(expected: &'static str) -> String {
    let words = match expected {
        "an integer from 0 to 255" => "0 到 255 之间的整数",
        "an integer from 0 to 65535" => "0 到 65535 之间的整数",
        "an integer from 0 to 4294967295" => "0 到 4294967295 之间的整数",
        "a non-negative integer" => "不小于 0 的整数",
        "an integer from -128 to 127" => "-128 到 127 之间的整数",
        "an integer from -32768 to 32767" => "-32768 到 32767 之间的整数",
        "a 32-bit integer" => "-2147483648 到 2147483647 之间的整数",
        "an integer" => "整数",
        "a number" => "数字",
        "a string" => "文字",
        other => other,
    };
    words.to_owned()
}

/// `template` with `{name}` replaced by `value`.
pub(crate) fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}
