//! Counting every event by id: handled exactly once, lost (never handled), handled twice or more.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

/// What became of a run's events, by id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Tally {
    /// The fault injected, e.g. `receiver: handler panics`.
    pub fault: String,
    /// Events emitted.
    pub events: usize,
    /// Handled exactly once.
    pub once: usize,
    /// Never handled.
    pub lost: usize,
    /// Handled twice or more.
    pub twice: usize,
    /// Faults injected: handler faults, cut connections, kills, answers in the API's place.
    pub injected: usize,
    /// How long the run took.
    pub elapsed: Duration,
    /// What was injected and anything else worth saying (kills, 401s answered, drops by the
    /// platform).
    pub note: String,
    /// A few lost ids, for the failure message.
    pub lost_ids: Vec<String>,
    /// A few ids handled more than once, with their counts.
    pub twice_ids: Vec<(String, u32)>,
}

impl Tally {
    /// Counts `emitted` against how many times each id was handled.
    pub fn count(
        fault: impl Into<String>,
        emitted: &[String],
        handled: &HashMap<String, u32>,
        elapsed: Duration,
    ) -> Self {
        let mut tally = Self {
            fault: fault.into(),
            events: emitted.len(),
            once: 0,
            lost: 0,
            twice: 0,
            injected: 0,
            elapsed,
            note: String::new(),
            lost_ids: Vec::new(),
            twice_ids: Vec::new(),
        };
        for id in emitted {
            match handled.get(id).copied().unwrap_or(0) {
                0 => {
                    tally.lost += 1;
                    if tally.lost_ids.len() < 5 {
                        tally.lost_ids.push(id.clone());
                    }
                }
                1 => tally.once += 1,
                n => {
                    tally.twice += 1;
                    if tally.twice_ids.len() < 5 {
                        tally.twice_ids.push((id.clone(), n));
                    }
                }
            }
        }
        tally
    }

    /// Sets the number of faults injected.
    pub fn injected(mut self, injected: usize) -> Self {
        self.injected = injected;
        self
    }

    /// Adds to the note.
    pub fn note(mut self, note: impl AsRef<str>) -> Self {
        if !self.note.is_empty() {
            self.note.push_str("; ");
        }
        self.note.push_str(note.as_ref());
        self
    }

    /// The table's header (markdown).
    pub fn header() -> &'static str {
        "| fault | events | faults injected | handled exactly once | lost | handled twice (or more) | time | notes |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    }

    /// This tally as a row of [`Tally::header`]'s table.
    pub fn row(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {} | {} | {:.1} s | {} |",
            self.fault,
            self.events,
            self.injected,
            self.once,
            self.lost,
            self.twice,
            self.elapsed.as_secs_f64(),
            self.note
        )
    }

    /// Everything, for a failing test's message: the row, the seed, and sample ids.
    pub fn explain(&self, seed: u64) -> String {
        let mut text = format!("{}\n{}\nseed: {seed}", Self::header(), self.row());
        if !self.lost_ids.is_empty() {
            write!(text, "\nlost, e.g.: {:?}", self.lost_ids).ok();
        }
        if !self.twice_ids.is_empty() {
            write!(text, "\nhandled more than once, e.g.: {:?}", self.twice_ids).ok();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_lands_in_exactly_one_column() {
        let emitted: Vec<String> = ["$1", "$2", "$3", "$4"].map(String::from).to_vec();
        let handled = HashMap::from([
            ("$1".to_owned(), 1),
            ("$2".to_owned(), 2),
            ("$4".to_owned(), 3),
            ("$other".to_owned(), 1),
        ]);
        let tally = Tally::count("t", &emitted, &handled, Duration::ZERO);
        assert_eq!((tally.once, tally.lost, tally.twice), (1, 1, 2));
        assert_eq!(tally.lost_ids, ["$3"]);
    }
}
