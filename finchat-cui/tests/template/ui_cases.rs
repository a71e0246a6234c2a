//! Every compile-error case of `cui!` (tests/ui/cui/*.rs), read by the run-time parser from the text
//! between the macro's braces: the same messages at the same lines and columns as the compiler's
//! `.stderr` beside it.

use std::fs;
use std::path::Path;

use finchat_cui::template::Template;

/// Cases whose mistake is a Rust type error (`error[E…]`: an expression of the wrong type, a splice
/// of the wrong type), which a template, having no Rust expressions, cannot make.
fn is_type_error(stderr: &str) -> bool {
    stderr.lines().any(|line| line.starts_with("error["))
}

/// The text between the braces of `cui! { … }`, and the line and column (1-based, in characters) of
/// its first character in the file.
fn macro_body(source: &str) -> (String, u32, u32) {
    let start = source.find("cui! {").expect("a cui! call") + "cui! {".len();
    let mut depth = 1;
    let mut in_string = false;
    let mut escaped = false;
    let mut end = start;
    for (i, c) in source[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let before = &source[..start];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count() as u32
        + 1;
    (source[start..end].to_owned(), line, column)
}

/// `(line, column, message)` of every error of a `.stderr`.
fn expected_errors(stderr: &str) -> Vec<(u32, u32, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut errors = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let place = lines[i + 1].rsplit(':').take(2).collect::<Vec<_>>();
        errors.push((
            place[1].parse().unwrap(),
            place[0].parse().unwrap(),
            message.to_owned(),
        ));
    }
    errors
}

#[test]
fn every_macro_mistake_is_reported_by_templates_in_the_same_words_at_the_same_place() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/cui");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    cases.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let stderr = fs::read_to_string(case.with_extension("stderr")).unwrap();
        if is_type_error(&stderr) {
            continue;
        }
        let (body, line, column) = macro_body(&fs::read_to_string(case).unwrap());
        let expected = expected_errors(&stderr);
        let actual: Vec<(u32, u32, String)> = match Template::parse(&body) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| {
                    let at = e.position;
                    let col = if at.line == 1 {
                        column + at.column - 1
                    } else {
                        at.column
                    };
                    (line + at.line - 1, col, e.message.clone())
                })
                .collect(),
        };
        if actual != expected {
            failures.push(format!(
                "{}:\n  macro:    {expected:?}\n  template: {actual:?}",
                case.display()
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} cases checked");
}
