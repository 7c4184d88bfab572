//! The write stage. The output folder is replaced as a whole: everything is written into a
//! sibling staging folder, then swapped in by rename, so an interrupted run leaves the previous
//! results intact and a reader never sees half a set. A marker file records that the folder is
//! ours; a non-empty folder without it is only replaced with `--force`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error::{InvalidInput, Problem};
use crate::report::Rendered;

/// Present in every output folder the tool writes.
pub(crate) const MARKER: &str = ".ta-scorecard";

/// Refuses an `--out` that is a file, has no name (`.`, `/`), or is a non-empty folder the tool
/// did not write (unless `force`). Checked before any work, so nothing is computed in vain.
pub(crate) fn check_out_folder(out: &Path, force: bool) -> Result<(), InvalidInput> {
    let bad = |message: &str| Err(InvalidInput::one(Problem::new("--out", message).value(out.display().to_string())));
    if out.file_name().is_none() || out.components().next_back().is_some_and(|c| c.as_os_str() == "..") {
        return bad("must name a folder of its own, such as out/ (it is replaced as a whole)");
    }
    if out.exists() && !out.is_dir() {
        return bad("is a file, not a folder");
    }
    let foreign = out.is_dir()
        && !out.join(MARKER).exists()
        && fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if foreign && !force {
        return bad(
            "holds files ta-scorecard did not write and would be replaced; choose another folder or pass --force",
        );
    }
    Ok(())
}

/// Writes `files` as the new content of `out`.
pub(crate) fn replace_folder(out: &Path, files: &[Rendered], force: bool) -> anyhow::Result<()> {
    check_out_folder(out, force)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create '{}'", parent.display()))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let result = write_into(&staging, files).and_then(|()| swap_in(&staging, out, &parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_into(staging: &Path, files: &[Rendered]) -> anyhow::Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging).with_context(|| format!("cannot create '{}'", staging.display()))?;
    fs::write(staging.join(MARKER), "Written by ta-scorecard; the whole folder is replaced on each run.\n")?;
    for file in files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
        }
        fs::write(&path, &file.bytes).with_context(|| format!("cannot write '{}'", path.display()))?;
    }
    Ok(())
}

fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        fs::rename(out, &old).with_context(|| format!("cannot move the previous '{}' aside", out.display()))?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(&old, out);
            return Err(e).with_context(|| format!("cannot move the new results into '{}'", out.display()));
        }
        fs::remove_dir_all(&old).with_context(|| format!("cannot remove the previous results '{}'", old.display()))?;
    } else {
        fs::rename(staging, out).with_context(|| format!("cannot move the new results into '{}'", out.display()))?;
    }
    Ok(())
}
