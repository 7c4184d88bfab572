//! Errors a user can act on: every problem in the inputs, located as `file:line: column: message
//! (value)` (SPEC §8), and the exit codes the binary returns for them.

use std::fmt;

/// Exit code for a run that succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit code for an unexpected failure (for example the output folder cannot be written).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for a command line that does not parse (clap's own code).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for inputs (CSV files, targets, `--quarter`) that are invalid.
pub const EXIT_INVALID_INPUT: u8 = 3;

/// How many problems of one file are listed before the rest are only counted.
pub const MAX_PROBLEMS_PER_FILE: usize = 20;

/// One problem in an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (or a flag such as `--quarter`).
    pub file: String,
    /// 1-based physical line; the header is line 1.
    pub line: Option<u64>,
    /// Column (or TOML key) the problem is in.
    pub column: Option<String>,
    pub message: String,
    /// The offending value as it was read.
    pub value: Option<String>,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { file: file.into(), line: None, column: None, message: message.into(), value: None }
    }

    pub fn at(mut self, line: u64) -> Problem {
        self.line = Some(line);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Problem {
        self.column = Some(column.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Problem {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
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
    pub fn new(problems: Vec<Problem>) -> InvalidInput {
        InvalidInput { problems, cap: MAX_PROBLEMS_PER_FILE }
    }

    pub fn one(problem: Problem) -> InvalidInput {
        InvalidInput::new(vec![problem])
    }

    pub fn with_cap(mut self, cap: usize) -> InvalidInput {
        self.cap = cap;
        self
    }

    /// How many problems there are of each kind (file, column and message), most first.
    pub fn kinds(&self) -> Vec<(usize, String)> {
        let mut counts: Vec<(usize, String)> = Vec::new();
        for p in &self.problems {
            let kind = Problem { line: None, value: None, ..p.clone() }.to_string();
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
    pub fn check(problems: Vec<Problem>) -> Result<(), InvalidInput> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput::new(problems))
        }
    }
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
    fn caps_problems_per_file_and_counts_the_rest() {
        let problems = (0..25).rev().map(|i| Problem::new("a.csv", "bad").at(i + 2)).collect();
        let text = InvalidInput::new(problems).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_PROBLEMS_PER_FILE + 1);
        assert_eq!(lines[0], "a.csv:2: bad");
        assert_eq!(lines[MAX_PROBLEMS_PER_FILE], "a.csv: … and 5 more problems");
    }
}
