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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notices {
    /// To someone whose submission came after the card was decided.
    pub already_decided: String,
    /// To someone who is not one of the card's approvers.
    pub not_an_approver: String,
    /// To someone whose submission came after the card's deadline.
    pub expired: String,
    /// The line an expired card shows at the bottom.
    pub expired_line: String,
    /// The line at the top of a card sent back with errors (`{n}`: how many).
    pub errors_summary: String,
    /// The line of a card that was sent but could not be registered, closed at once.
    pub unregistered: String,
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
        }
    }
}

/// `template` with `{name}` replaced by `value`.
pub(crate) fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}
