//! The fingerprint stage (issue 29): each input file's size, data rows and SHA-256, read in one
//! pass on a thread of its own while the other stages run, so the fingerprints cost the run
//! little more than reading the files once more from the page cache.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use crate::model::inputs::InputFile;

/// Starts fingerprinting `paths` on a thread; join it for the files, in order. A path marked
/// `true` is read as CSV text, whose records are counted.
pub(crate) fn spawn(paths: Vec<(PathBuf, bool)>) -> JoinHandle<anyhow::Result<Vec<InputFile>>> {
    std::thread::spawn(move || paths.iter().map(|(path, csv)| file(path, *csv)).collect())
}

/// One file's fingerprint, its CSV records counted when it is `csv` text.
pub(crate) fn file(path: &Path, csv: bool) -> anyhow::Result<InputFile> {
    let mut reader = File::open(path).map_err(|e| anyhow::anyhow!("cannot read '{}': {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut records = Records::default();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = reader.read(&mut buffer).map_err(|e| anyhow::anyhow!("cannot read '{}': {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        if csv {
            records.feed(&buffer[..n]);
        }
        bytes += n as u64;
    }
    Ok(InputFile {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        path: path.display().to_string(),
        bytes,
        data_rows: csv.then(|| records.finish().saturating_sub(1)),
        sha256: hex(&hasher.finalize()),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// CSV records counted as the bytes go by: a line break outside quotes ends one, and a record
/// with nothing but a carriage return is a blank line, not counted. Only quotes and line breaks
/// are visited (`memchr`), so counting costs little beside the hash.
#[derive(Default)]
struct Records {
    count: u64,
    quoted: bool,
    /// Bytes of the current record so far, and the last byte seen.
    length: u64,
    last: u8,
}

impl Records {
    fn feed(&mut self, bytes: &[u8]) {
        let mut from = 0;
        for at in memchr::memchr2_iter(b'"', b'\n', bytes) {
            self.length += (at - from) as u64;
            let before = if at > from { bytes[at - 1] } else { self.last };
            if bytes[at] == b'"' {
                self.quoted = !self.quoted;
                self.length += 1;
            } else if self.quoted {
                self.length += 1;
            } else {
                // A record of only a carriage return is blank.
                let blank = self.length == 0 || (self.length == 1 && before == b'\r');
                self.count += u64::from(!blank);
                self.length = 0;
            }
            self.last = bytes[at];
            from = at + 1;
        }
        self.length += (bytes.len() - from) as u64;
        if let Some(&last) = bytes.last() {
            self.last = last;
        }
    }

    /// The records, the last one counted without a final line break.
    fn finish(&self) -> u64 {
        let blank = self.length == 0 || (self.length == 1 && self.last == b'\r');
        self.count + u64::from(!blank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_skip_blank_lines_and_line_breaks_in_quotes() {
        let text = b"a,b\r\n1,\"x\ny\"\n\r\n\n2,z";
        let mut records = Records::default();
        records.feed(text);
        assert_eq!(records.finish(), 3);
        // The same fed a byte at a time, across every buffer boundary.
        let mut records = Records::default();
        text.chunks(1).for_each(|b| records.feed(b));
        assert_eq!(records.finish(), 3);
        let mut records = Records::default();
        records.feed(b"a\n1\n");
        assert_eq!(records.finish(), 2);
    }

    #[test]
    fn the_sha256_of_abc() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "abc").unwrap();
        let print = file(&path, true).unwrap();
        assert_eq!(print.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!((print.bytes, print.data_rows, print.name.as_str()), (3, Some(0), "a.csv"));
    }
}
