//! What produced a report (issue 29): every input file read with its size, data rows and SHA-256,
//! the targets in force, the tool's version and the command line, so that a page can be matched
//! to its data and two runs compared.

use serde::Serialize;

/// The inputs of one run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct Inputs {
    /// Each input file, in the order the run reads them.
    pub(crate) files: Vec<InputFile>,
    /// The targets in force.
    pub(crate) targets: TargetsUsed,
    /// This tool's version.
    pub(crate) tool_version: String,
    /// The command line that ran.
    pub(crate) command: String,
}

/// One input file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct InputFile {
    /// Its file name, as `arr.csv`.
    pub(crate) name: String,
    /// Its path as given.
    pub(crate) path: String,
    pub(crate) bytes: u64,
    /// Data rows: CSV records after the header (blank lines not counted); none for a workbook,
    /// a Parquet file or columns.toml.
    pub(crate) data_rows: Option<u64>,
    /// The SHA-256 of its bytes, in hex.
    pub(crate) sha256: String,
}

/// The targets in force: a file with its SHA-256, or the built-in framework of this version.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct TargetsUsed {
    pub(crate) source: String,
    /// The file's SHA-256, or `built-in`.
    pub(crate) sha256: String,
}

impl Inputs {
    /// The line that ends every page: the quarter, the tool's version and each input's short
    /// fingerprint (`2026-Q3 · ta-scorecard 0.1.0 · accounts.csv 1a2b3c4d · … · targets built-in`).
    pub(crate) fn footer(&self, quarter: &str) -> String {
        let mut parts = vec![quarter.to_string(), format!("ta-scorecard {}", self.tool_version)];
        parts.extend(self.files.iter().map(|f| format!("{} {}", f.name, short(&f.sha256))));
        parts.push(format!("targets {}", short(&self.targets.sha256)));
        parts.join(" · ")
    }
}

/// The first 8 hex digits of a SHA-256 (`built-in` stays whole).
pub(crate) fn short(sha256: &str) -> &str {
    if sha256.len() == 64 {
        &sha256[..8]
    } else {
        sha256
    }
}
