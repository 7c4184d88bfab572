//! Errors a user can act on: every problem in the inputs, located as `file:line: column: message
//! (value)` (SPEC §8), and the exit codes the binary returns for them.
//!
//! Problems travel one way. Every reader adds what it finds to one [`Problems`] collector and
//! reads on while it can, so a run reports every problem at once. A reader returns [`Read`]:
//! `Ok` when it read to the end, `Err(Stop::Invalid)` when the input stopped it (what is wrong is
//! in the collector already), and `Err(Stop::Failed)` only for what is not the input's fault.

use std::collections::HashMap;
use std::fmt;

// Exit codes: 0 for a run that succeeded, 2 for a command line clap refuses (clap's own), and:

/// Exit code for an unexpected failure (for example the output folder cannot be written).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for inputs (CSV files, targets, `--quarter`) that are invalid.
pub const EXIT_INVALID_INPUT: u8 = 3;

/// How many problems of one file are listed before the rest are only counted.
pub const MAX_PROBLEMS_PER_FILE: usize = 20;

/// One problem in an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (or a flag such as `--quarter`).
    pub(crate) file: String,
    /// 1-based physical line; the header is line 1.
    pub(crate) line: Option<u64>,
    /// Column (or TOML key) the problem is in.
    pub(crate) column: Option<String>,
    pub(crate) message: String,
    /// The offending value as it was read.
    pub(crate) value: Option<String>,
    /// The cell (`C17`) when the file is a spreadsheet's sheet: said instead of the line.
    pub(crate) cell: Option<String>,
}

impl Problem {
    pub(crate) fn new(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { file: file.into(), line: None, column: None, message: message.into(), value: None, cell: None }
    }

    pub(crate) fn at(mut self, line: u64) -> Problem {
        self.line = Some(line);
        self
    }

    pub(crate) fn column(mut self, column: impl Into<String>) -> Problem {
        self.column = Some(column.into());
        self
    }

    pub(crate) fn value(mut self, value: impl Into<String>) -> Problem {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        match (&self.cell, self.line) {
            (Some(cell), _) => write!(f, "!{cell}")?,
            // Line 0 is a Parquet file's schema: its file alone names it.
            (None, Some(line)) if line > 0 => write!(f, ":{line}")?,
            (None, _) => {}
        }
        write!(f, ": ")?;
        if let Some(column) = &self.column {
            write!(f, "{column}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(value) = &self.value {
            write!(f, " ({})", printable(value))?;
        }
        Ok(())
    }
}

/// The value with control characters (a stray newline or tab in a cell) shown as escapes, so a
/// message always stays on one line.
fn printable(value: &str) -> String {
    value.chars().flat_map(|c| if c.is_control() { c.escape_default().collect() } else { vec![c] }).collect()
}

/// Every problem found in the inputs, reported together; the run stops before writing anything.
#[derive(Debug)]
pub struct InvalidInput {
    problems: Vec<Problem>,
    /// How many problems of one file are listed before the rest are only counted.
    cap: usize,
}

impl InvalidInput {
    pub(crate) fn new(problems: Vec<Problem>) -> InvalidInput {
        InvalidInput { problems, cap: MAX_PROBLEMS_PER_FILE }
    }

    pub(crate) fn one(problem: Problem) -> InvalidInput {
        InvalidInput::new(vec![problem])
    }

    pub(crate) fn with_cap(mut self, cap: usize) -> InvalidInput {
        self.cap = cap;
        self
    }

    /// How many problems there are of each kind (file, column and message), most first.
    pub fn kinds(&self) -> Vec<(usize, String)> {
        let mut counts: Vec<(usize, String)> = Vec::new();
        for p in &self.problems {
            let kind = Problem { line: None, value: None, cell: None, ..p.clone() }.to_string();
            match counts.iter_mut().find(|(_, k)| *k == kind) {
                Some((n, _)) => *n += 1,
                None => counts.push((1, kind)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.0));
        counts
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// `Ok(())` when no problem was found.
    pub(crate) fn check(problems: Vec<Problem>) -> Result<(), InvalidInput> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput::new(problems))
        }
    }
}

/// Why a reader stopped before the end of its input.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The input cannot be read further; the problems that say why are in the [`Problems`].
    Invalid,
    /// Something other than the input failed (a bug, an I/O error after the checks).
    Failed(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Stop {
    fn from(error: E) -> Stop {
        Stop::Failed(error.into())
    }
}

/// What a reader returns: its value when it read to the end (see [`Stop`]).
pub(crate) type Read<T> = Result<T, Stop>;

/// The problems found in the inputs so far, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<Problem>, HashMap<String, HashMap<String, u32>>);

impl Problems {
    pub(crate) fn push(&mut self, mut problem: Problem) {
        let column = self.1.get(&problem.file).zip(problem.column.as_ref()).and_then(|(c, name)| c.get(name));
        if let (Some(column), Some(line)) = (column, problem.line) {
            problem.cell = Some(format!("{}{line}", column_letters(*column)));
        }
        self.0.push(problem);
    }

    /// From now on, problems of `file` (a sheet) that name a line and one of `columns` (by name
    /// or header, 0 = A) say the cell instead of the line.
    pub(crate) fn locate(&mut self, file: &str, columns: HashMap<String, u32>) {
        self.1.insert(file.to_string(), columns);
    }

    /// How many problems were found so far: a mark to ask later whether a step found any.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records `problem` and stops the reader.
    pub(crate) fn stop<T>(&mut self, problem: Problem) -> Read<T> {
        self.push(problem);
        Err(Stop::Invalid)
    }

    /// Stops the reader when a problem was found since `mark` (an earlier [`Problems::len`]).
    pub(crate) fn stop_if_any_since(&self, mark: usize) -> Read<()> {
        if self.0.len() > mark {
            Err(Stop::Invalid)
        } else {
            Ok(())
        }
    }

    /// A reader's value, `None` when the input stopped it, `Err` when something else failed.
    pub(crate) fn settle<T>(read: Read<T>) -> anyhow::Result<Option<T>> {
        match read {
            Ok(value) => Ok(Some(value)),
            Err(Stop::Invalid) => Ok(None),
            Err(Stop::Failed(error)) => Err(error),
        }
    }

    /// `Ok` when nothing was found, else every problem together.
    pub(crate) fn finish(self) -> Result<(), InvalidInput> {
        InvalidInput::check(self.0)
    }
}

impl Extend<Problem> for Problems {
    fn extend<I: IntoIterator<Item = Problem>>(&mut self, problems: I) {
        for problem in problems {
            self.push(problem);
        }
    }
}

/// A spreadsheet's column letters: 0 is `A`, 25 `Z`, 26 `AA`.
fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl fmt::Display for InvalidInput {
    /// Problems grouped by file in the order found, each file sorted by line and cut at
    /// [`MAX_PROBLEMS_PER_FILE`] with a count of the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut files: Vec<&str> = Vec::new();
        for p in &self.problems {
            if !files.contains(&p.file.as_str()) {
                files.push(&p.file);
            }
        }
        let mut first = true;
        for file in files {
            let mut of_file: Vec<&Problem> = self.problems.iter().filter(|p| p.file == file).collect();
            of_file.sort_by_key(|p| p.line.unwrap_or(0));
            for p in of_file.iter().take(self.cap) {
                if !first {
                    writeln!(f)?;
                }
                first = false;
                write!(f, "{p}")?;
            }
            if of_file.len() > self.cap {
                write!(f, "\n{file}: … and {} more problems", of_file.len() - self.cap)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for InvalidInput {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_file_line_column_message_value() {
        let p = Problem::new("arr.csv", "not a number").at(7).column("arr").value("12a");
        assert_eq!(p.to_string(), "arr.csv:7: arr: not a number (12a)");
        let p = Problem::new("targets.toml", "must not be negative").column("levels.IC1.ndr.tolerance");
        assert_eq!(p.to_string(), "targets.toml: levels.IC1.ndr.tolerance: must not be negative");
    }

    #[test]
    fn a_sheet_problem_names_its_cell() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        let mut problems = Problems::default();
        problems.locate("book.xlsx[arr]", HashMap::from([("arr".to_string(), 2)]));
        problems.push(Problem::new("book.xlsx[arr]", "not a number").at(17).column("arr").value("x"));
        problems.push(Problem::new("book.xlsx[arr]", "no data rows after the header").at(2));
        let text = problems.finish().unwrap_err().to_string();
        assert_eq!(text, "book.xlsx[arr]:2: no data rows after the header\nbook.xlsx[arr]!C17: arr: not a number (x)");
    }

    #[test]
    fn caps_problems_per_file_and_counts_the_rest() {
        let problems = (0..25).rev().map(|i| Problem::new("a.csv", "bad").at(i + 2)).collect();
        let text = InvalidInput::new(problems).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_PROBLEMS_PER_FILE + 1);
        assert_eq!(lines[0], "a.csv:2: bad");
        assert_eq!(lines[MAX_PROBLEMS_PER_FILE], "a.csv: … and 5 more problems");
    }
}
