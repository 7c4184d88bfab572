//! A small builder that runs the binary in a temporary folder holding a data set, and on failure
//! shows the command, exit code, stdout and stderr.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const ACCOUNTS: &str = "\
account_id,account_name,advisor,segment,employees,ela,health_score,renewal_date
A1,Acme,Ada,SMB,10,no,8,2026-12-01
A2,Bolt,Ada,,500,,6.5,
A3,Core,Bo,Enterprise,5000,yes,,2027-01-15
";

pub const ARR: &str = "\
account_id,month,arr
A1,2025-09,1000
A1,2026-09,1200
A2,2025-09,2000
A2,2026-09,1500
A3,2025-06,5000
A3,2025-09,5000
A3,2026-09,0
";

pub const ADVISORS: &str = "\
advisor,level,manager
Ada,IC1,Max
Bo,IC3,Max
";

/// A temporary folder with `data/accounts.csv`, `data/arr.csv` and `data/advisors.csv`.
pub struct Fixture {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    description: String,
}

impl Fixture {
    /// The three small valid files above.
    pub fn new() -> Fixture {
        Fixture::empty()
            .file("data/accounts.csv", ACCOUNTS)
            .file("data/arr.csv", ARR)
            .file("data/advisors.csv", ADVISORS)
    }

    pub fn empty() -> Fixture {
        Fixture { dir: tempfile::tempdir().unwrap() }
    }

    pub fn file(self, name: &str, text: &str) -> Fixture {
        self.bytes(name, text.as_bytes())
    }

    pub fn bytes(self, name: &str, bytes: &[u8]) -> Fixture {
        let path = self.dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(self, name: &str) -> Fixture {
        fs::remove_file(self.dir.path().join(name)).unwrap();
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Runs the binary with `args` from the fixture folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// `score --data data --out out` plus `extra`.
    pub fn score(&self, extra: &[&str]) -> Run {
        let mut args = vec!["score", "--data", "data", "--out", "out"];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

/// Text with its line breaks and runs of spaces folded, to find a sentence `show` wrapped or a
/// row it padded.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ta-scorecard"))
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(binary()).args(args).current_dir(dir).env_remove("NO_COLOR").output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        description: format!("ta-scorecard {} (in {})", args.join(" "), dir.display()),
    }
}

impl Run {
    fn context(&self) -> String {
        format!(
            "command: {}\nexit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.description, self.code, self.stdout, self.stderr
        )
    }

    pub fn success(self) -> Run {
        assert_eq!(self.code, 0, "expected success\n{}", self.context());
        self
    }

    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit code {code}\n{}", self.context());
        self
    }

    /// Asserts that stderr has exactly this line.
    pub fn stderr_line(self, line: &str) -> Run {
        assert!(self.stderr.lines().any(|l| l == line), "expected the stderr line\n  {line}\n{}", self.context());
        self
    }
}

/// CSV text as rows of cells.
pub fn rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The scorecards.csv record of `advisor` as column → value.
pub fn scorecard(text: &str, advisor: &str) -> std::collections::HashMap<String, String> {
    let table = rows(text);
    let row = table.iter().find(|r| r[0] == advisor).unwrap_or_else(|| panic!("no row for {advisor}"));
    table[0].iter().cloned().zip(row.iter().cloned()).collect()
}
