//! The write stage: every rendered file lands atomically (temporary file, then rename), so a
//! reader never sees half a file and an interrupted run leaves the previous file whole.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::report::Rendered;

pub fn write_all(out: &Path, files: &[Rendered]) -> anyhow::Result<()> {
    fs::create_dir_all(out).with_context(|| format!("cannot create the output folder '{}'", out.display()))?;
    for file in files {
        write_atomically(&out.join(&file.path), &file.bytes)?;
    }
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write '{}'", path.display()))
}
