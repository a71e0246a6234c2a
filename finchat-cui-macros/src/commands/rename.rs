//! `rename_rule`: a variant's name as a command name (`ExpenseReport` → `expensereport`,
//! `expense_report`, …).

/// The words of a `PascalCase` name: `ExpenseReport` → `Expense`, `Report`. A run of capitals is
/// one word (`HTTPProxy` → `HTTP`, `Proxy`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let starts_word = i == 0
            || c == '_'
            || chars[i - 1] == '_'
            || (c.is_uppercase()
                && (chars[i - 1].is_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || chars.get(i + 1).is_some_and(|next| next.is_lowercase())));
        if c == '_' {
            continue;
        }
        if starts_word || words.is_empty() {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
    }
    words
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// `name` under `rule` (one of `RENAME_RULES`); `None` for an unknown rule.
pub fn apply(rule: &str, name: &str) -> Option<String> {
    let words = words(name);
    let lower = || words.iter().map(|w| w.to_lowercase());
    let upper = || words.iter().map(|w| w.to_uppercase());
    Some(match rule {
        "lowercase" => lower().collect(),
        "UPPERCASE" => upper().collect(),
        "snake_case" => lower().collect::<Vec<_>>().join("_"),
        "kebab-case" => lower().collect::<Vec<_>>().join("-"),
        "SCREAMING_SNAKE_CASE" => upper().collect::<Vec<_>>().join("_"),
        "PascalCase" => words.iter().map(|w| capitalised(w)).collect(),
        "camelCase" => {
            let mut out = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
            out.extend(words.iter().skip(1).map(|w| capitalised(w)));
            out
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_renames_a_two_word_variant() {
        let renamed: Vec<String> = super::super::symbol::RENAME_RULES
            .iter()
            .map(|rule| apply(rule, "ExpenseReport").unwrap())
            .collect();
        assert_eq!(
            renamed,
            [
                "expensereport",
                "EXPENSEREPORT",
                "expense_report",
                "expense-report",
                "expenseReport",
                "ExpenseReport",
                "EXPENSE_REPORT"
            ]
        );
        assert_eq!(
            apply("snake_case", "HTTPProxy2Go").unwrap(),
            "http_proxy2_go"
        );
        assert_eq!(apply("kebab-case", "Start").unwrap(), "start");
        assert_eq!(apply("lower", "Start"), None);
    }
}
