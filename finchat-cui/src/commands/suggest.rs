//! "Did you mean …?" for a mistyped command name: the known name fewest edits away.

/// The known name closest to `typed` (ASCII case ignored), when it is close enough to be a typo:
/// one edit for names of up to three letters, two for longer ones.
pub(crate) fn closest(
    typed: &str,
    known: impl IntoIterator<Item = &'static str>,
) -> Option<&'static str> {
    let typed = typed.to_lowercase();
    let limit = if typed.chars().count() <= 3 { 1 } else { 2 };
    known
        .into_iter()
        .map(|name| (edits(&typed, &name.to_lowercase()), name))
        .filter(|(count, _)| *count <= limit)
        .min_by_key(|(count, _)| *count)
        .map(|(_, name)| name)
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters count one each. Three rows are enough.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != y);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && x == b[j - 1] && a[i - 1] == y {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_command_and_other_words_do_not() {
        let known = ["expense", "help", "start", "报销"];
        assert_eq!(closest("expnse", known), Some("expense"));
        assert_eq!(closest("exepnse", known), Some("expense"));
        assert_eq!(closest("HEPL", known), Some("help"));
        assert_eq!(closest("报", known), Some("报销"));
        assert_eq!(closest("weather", known), None);
    }

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edits("ab", "ba"), 1);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("kitten", "sitting"), 3);
    }
}
