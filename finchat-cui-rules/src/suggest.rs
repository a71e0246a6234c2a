//! "Did you mean …?": the closest candidate to a misspelt word.

/// The candidate closest to `word`, if it is close enough to be a likely typo: one edit for words of
/// up to three characters, two for longer ones. Case is ignored (`HEPL` is one swap from `help`).
///
/// ```
/// assert_eq!(finchat_cui_rules::did_you_mean("kye", &["key", "value"]), Some("key"));
/// assert_eq!(finchat_cui_rules::did_you_mean("HEPL", &["help", "start"]), Some("help"));
/// ```
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Two edits from a long word are not a typo of a short one, and the distance table grows with
    // the word: a hostile name of a megabyte would take a long time for nothing.
    let longest = candidates.iter().map(|c| c.chars().count()).max()?;
    if word.chars().count() > longest + 2 {
        return None;
    }
    let word = word.to_lowercase();
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    candidates
        .iter()
        .map(|candidate| (distance(&word, &candidate.to_lowercase()), *candidate))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one each.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_words_are_suggested_and_far_ones_are_not() {
        let attrs = ["key", "placeholder", "value"];
        assert_eq!(did_you_mean("kye", &attrs), Some("key"));
        assert_eq!(did_you_mean("placehoder", &attrs), Some("placeholder"));
        assert_eq!(did_you_mean("vaule", &attrs), Some("value"));
        assert_eq!(did_you_mean("colour", &attrs), None);
    }

    #[test]
    fn case_is_ignored_swaps_count_one_and_chinese_words_are_words() {
        let commands = ["expense", "help", "start", "报销"];
        assert_eq!(did_you_mean("expnse", &commands), Some("expense"));
        assert_eq!(did_you_mean("exepnse", &commands), Some("expense"));
        assert_eq!(did_you_mean("HEPL", &commands), Some("help"));
        assert_eq!(did_you_mean("报", &commands), Some("报销"));
        assert_eq!(did_you_mean("weather", &commands), None);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_word_longer_than_any_candidate_by_more_than_two_is_no_typo() {
        assert_eq!(did_you_mean("helpme", &["help"]), Some("help"));
        assert_eq!(did_you_mean("helpmee", &["help"]), None);
        // A hostile name: answered at once, without a table of a megabyte times the candidates.
        assert_eq!(
            did_you_mean(&"a".repeat(1 << 20), &["help", "expense"]),
            None
        );
        assert_eq!(did_you_mean("help", &[]), None);
    }
}
