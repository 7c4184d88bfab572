//! The write stage. Everything is written into a sibling staging folder, then swapped in by
//! rename, so an interrupted run leaves the previous results intact and a reader never sees half
//! a set. A marker file records that the folder is ours and lists the files the tool wrote; on the
//! next run only those are replaced: any other file in the folder is carried over and named in a
//! note, so a user's file is never lost. A non-empty folder without the marker is only written
//! into with `--force`, and never the home folder, the current folder or a folder holding the
//! inputs. Staging folders of runs that died are removed by the next run.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context;
use rayon::prelude::*;

use crate::error::{InvalidInput, Problem};
use crate::output::Rendered;

/// Present in every output folder the tool writes.
pub(crate) const MARKER: &str = ".ta-scorecard";
/// The marker's first line; the files the tool wrote follow, one per line.
const MARKER_HEADER: &str = "Written by ta-scorecard; these files are replaced on each run, any other is kept:";

/// Refuses an `--out` that is a file, has no name (`.`, `/`), is the home or the current folder
/// or holds one of `inputs`, or is a non-empty folder the tool did not write (unless `force`).
/// Checked before any work, so nothing is computed in vain.
pub(crate) fn check_out_folder(out: &Path, force: bool, inputs: &[&Path]) -> Result<(), InvalidInput> {
    let bad = |message: &str| Err(InvalidInput::one(Problem::new("--out", message).value(out.display().to_string())));
    if out.file_name().is_none() || out.components().next_back().is_some_and(|c| c.as_os_str() == "..") {
        return bad("must name a folder of its own, such as out/ (it is replaced as a whole)");
    }
    if out.exists() && !out.is_dir() {
        return bad("is a file, not a folder");
    }
    let absolute = absolute_path(out);
    let home = std::env::var_os("HOME").map(PathBuf::from).map(|h| absolute_path(&h));
    if home.as_deref() == Some(absolute.as_path()) {
        return bad("is your home folder: choose a folder of its own, such as out/");
    }
    if std::env::current_dir().ok().map(|d| absolute_path(&d)).as_deref() == Some(absolute.as_path()) {
        return bad("is the current folder: choose a folder of its own, such as out/");
    }
    if let Some(input) = inputs.iter().find(|input| absolute_path(input).starts_with(&absolute)) {
        return bad(&format!("holds the input {}: choose a folder of its own, such as out/", input.display()));
    }
    let foreign = out.is_dir()
        && !out.join(MARKER).exists()
        && fs::read_dir(out).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if foreign && !force {
        return bad(
            "holds files ta-scorecard did not write; choose another folder, or pass --force to write beside them \
             (they are kept)",
        );
    }
    Ok(())
}

/// `path` made absolute and, as far as it exists, free of links and `..`.
fn absolute_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute_path(parent).join(name),
        (_, Some(name)) => std::env::current_dir().map(|d| absolute_path(&d).join(name)).unwrap_or_default(),
        _ => path.to_path_buf(),
    }
}

/// Writes `files` as the new content of `out`, keeping every file of `out` the tool did not
/// write. Returns those kept files, relative to `out`, for a note.
pub(crate) fn replace_folder(
    out: &Path,
    files: &[Rendered],
    force: bool,
    inputs: &[&Path],
) -> anyhow::Result<Vec<String>> {
    let staging = Staging::open(out, force, inputs)?;
    for file in files {
        staging.put(file)?;
    }
    staging.finish()
}

/// The new content of an output folder, written file by file (from any thread, as each is
/// rendered) into a sibling staging folder, then swapped in by [`Staging::finish`]. Dropped
/// unfinished (an error on the way), the staging folder is removed and `out` is untouched.
pub(crate) struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// The files written, relative to the folder.
    written: Mutex<Vec<String>>,
    finished: bool,
}

impl Staging {
    /// Checks `out` (see [`check_out_folder`]) and makes an empty staging folder beside it.
    pub(crate) fn open(out: &Path, force: bool, inputs: &[&Path]) -> anyhow::Result<Staging> {
        check_out_folder(out, force, inputs)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("cannot create '{}'", parent.display()))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        remove_stale_staging(&parent, &name);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
        let staging = Staging { out: out.to_path_buf(), parent, name, dir, written: Mutex::default(), finished: false };
        Ok(staging)
    }

    /// Writes one file into the staging folder.
    pub(crate) fn put(&self, file: &Rendered) -> anyhow::Result<()> {
        let path = self.dir.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
        }
        fs::write(&path, &file.bytes).with_context(|| format!("cannot write '{}'", path.display()))?;
        self.written.lock().map_err(|_| anyhow::anyhow!("a writing thread failed"))?.push(file.path.clone());
        Ok(())
    }

    /// Writes the marker listing the files written, keeps every file of `out` the tool did not
    /// write, and swaps the staging folder in. Returns the kept files, relative to `out`.
    pub(crate) fn finish(mut self) -> anyhow::Result<Vec<String>> {
        let mut written =
            std::mem::take(&mut *self.written.lock().map_err(|_| anyhow::anyhow!("a writing thread failed"))?);
        written.sort();
        fs::write(self.dir.join(MARKER), format!("{MARKER_HEADER}\n{}\n", written.join("\n")))?;
        let kept = carry_over(&self.out, &self.dir, &written)?;
        swap_in(&self.dir, &self.out, &self.parent, &self.name)?;
        self.finished = true;
        Ok(kept)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Copies into `staging` every file of `out` the tool did not write: those its marker does not
/// list (a marker of an older version, without a list, claims the whole folder, as it did). A
/// file with the name of a new output is replaced. Copied, not moved, so `out` stays whole
/// until the swap.
fn carry_over(out: &Path, staging: &Path, written: &[String]) -> anyhow::Result<Vec<String>> {
    if !out.is_dir() {
        return Ok(Vec::new());
    }
    let ours: BTreeSet<String> = match fs::read_to_string(out.join(MARKER)) {
        Ok(text) if text.starts_with(MARKER_HEADER) => text.lines().skip(1).map(str::to_string).collect(),
        Ok(_) => return Ok(Vec::new()), // an older marker, without a list: the folder is all ours
        Err(_) => BTreeSet::new(),      // no marker (written into with --force): nothing is ours
    };
    let new: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    let mut kept = Vec::new();
    for relative in files_under(out)? {
        let text = relative.to_string_lossy().replace('\\', "/");
        if text == MARKER || ours.contains(&text) || new.contains(text.as_str()) || is_chart_of_ours(&text, &ours) {
            continue;
        }
        let target = staging.join(&relative);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::copy(out.join(&relative), &target)
            .with_context(|| format!("cannot keep '{}'", out.join(&relative).display()))?;
        kept.push(text);
    }
    Ok(kept)
}

/// Every page's charts sit in a folder named after the page (`advisors/ada/trend.svg` beside
/// `advisors/ada.html`): those are the tool's when the marker lists the page.
fn is_chart_of_ours(path: &str, ours: &BTreeSet<String>) -> bool {
    let Some((folder, _)) = path.rsplit_once('/') else { return false };
    ours.contains(&format!("{folder}.html")) || ours.contains(&format!("{folder}.md"))
}

/// The files under `dir`, relative to it.
fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Removes the staging folders (`.out.new-PID`, `.out.old-PID`) of runs that are no longer
/// alive: a run killed mid-write leaves one, and it can be large.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = [".new-", ".old-"]
            .iter()
            .find_map(|kind| file_name.strip_prefix(&format!(".{name}{kind}")))
            .and_then(|pid| pid.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive && Path::new("/proc").is_dir() {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Threads that remove files side by side: removing waits on the disk, not on a core, so more
/// threads than cores help (the previous results of 1,000 advisors, on 2 cores: 1.1 s one by
/// one, 0.85 s on 2 threads, 0.5 s on 8 or 16).
const REMOVING_THREADS: usize = 8;

/// Removes the folder `dir` with everything in it, as [`fs::remove_dir_all`] does, but the
/// entries of `dir` and of its folders (`advisors/`) side by side on [`REMOVING_THREADS`]: a big
/// book's results are tens of thousands of files. Each entry two levels down goes to
/// `fs::remove_dir_all` whole, which never follows a symbolic link; above that an entry is a
/// folder by its own type, so a link is removed, not followed, and `dir` itself, when a link, is
/// left to `fs::remove_dir_all` (which removes the link alone).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    fn remove(dir: &Path, levels: u32) -> std::io::Result<()> {
        if levels == 0 {
            return fs::remove_dir_all(dir);
        }
        let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        entries.par_iter().try_for_each(|entry| {
            let removed = match entry.file_type()?.is_dir() {
                true => remove(&entry.path(), levels - 1),
                false => fs::remove_file(entry.path()),
            };
            // Gone already (removed by someone else meanwhile) is what was wanted.
            match removed {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                removed => removed,
            }
        })?;
        fs::remove_dir(dir)
    }
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_dir_all(dir);
    }
    match rayon::ThreadPoolBuilder::new().num_threads(REMOVING_THREADS).build() {
        Ok(threads) => threads.install(|| remove(dir, 2)),
        Err(_) => remove(dir, 2),
    }
}

fn swap_in(staging: &Path, out: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        fs::rename(out, &old).with_context(|| format!("cannot move the previous '{}' aside", out.display()))?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(&old, out);
            return Err(e).with_context(|| format!("cannot move the new results into '{}'", out.display()));
        }
        remove_tree(&old).with_context(|| format!("cannot remove the previous results '{}'", old.display()))?;
    } else {
        fs::rename(staging, out).with_context(|| format!("cannot move the new results into '{}'", out.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> Rendered {
        Rendered { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    /// Files put from several threads land in the folder, listed in the marker in order; a
    /// staging folder dropped unfinished (an error while rendering) is removed, and the folder
    /// keeps the previous results.
    #[test]
    fn staged_files_are_swapped_in_whole_or_not_at_all() {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("out");
        let staging = Staging::open(&out, false, &[]).unwrap();
        std::thread::scope(|scope| {
            scope.spawn(|| staging.put(&file("advisors/b.md", "b")).unwrap());
            scope.spawn(|| staging.put(&file("advisors/a.md", "a")).unwrap());
        });
        staging.put(&file("scorecards.csv", "first")).unwrap();
        assert!(!out.exists(), "nothing is in place before the swap");
        assert!(staging.finish().unwrap().is_empty());
        let marker = fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.ends_with("\nadvisors/a.md\nadvisors/b.md\nscorecards.csv\n"), "{marker}");

        let staging = Staging::open(&out, false, &[]).unwrap();
        staging.put(&file("scorecards.csv", "second")).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("scorecards.csv")).unwrap(), "first");
        let names: Vec<String> = fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out"], "the staging folder is gone");
    }

    /// The previous results are removed whole, however deep; a link among them (or the folder
    /// itself as a link) is removed, and what it points to is kept.
    #[cfg(unix)]
    #[test]
    fn removing_the_previous_results_never_follows_a_link() {
        let parent = tempfile::tempdir().unwrap();
        let kept = parent.path().join("kept");
        fs::create_dir_all(kept.join("deep")).unwrap();
        fs::write(kept.join("deep/file"), "keep").unwrap();
        let old = parent.path().join("old");
        for dir in ["advisors/ada", "advisors/ben/more/deeper", "empty"] {
            fs::create_dir_all(old.join(dir)).unwrap();
        }
        for path in ["scorecards.csv", "advisors/ada.md", "advisors/ada/trend.png", "advisors/ben/more/deeper/x"] {
            fs::write(old.join(path), "old").unwrap();
        }
        for link in ["link", "advisors/link", "advisors/ada/link"] {
            std::os::unix::fs::symlink(&kept, old.join(link)).unwrap();
        }
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        let link = parent.path().join("link");
        std::os::unix::fs::symlink(&kept, &link).unwrap();
        remove_tree(&link).unwrap();
        assert!(!link.exists());
        assert_eq!(fs::read_to_string(kept.join("deep/file")).unwrap(), "keep");
    }
}
