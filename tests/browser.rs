//! The pages as a person sees them: headless Chromium (Debian's, installed by
//! `scripts/ensure-chromium.sh` when missing) opens the team index and an advisor page, with
//! at a desktop's width and a phone's, with no console message allowed, every chart present and
//! drawn, the document no wider than the window, and screenshots kept.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::pages::sample_output;
use crate::util::repo_root;

/// The browser, installed once per test run: tests run in parallel, and two `apt-get`s at once
/// would fight over the package lock.
fn chromium() -> PathBuf {
    static BROWSER: OnceLock<PathBuf> = OnceLock::new();
    BROWSER
        .get_or_init(|| {
            let found =
                || Command::new("sh").args(["-c", "command -v chromium"]).output().ok().filter(|o| o.status.success());
            if found().is_none() {
                let status = Command::new("bash").arg(repo_root().join("scripts/ensure-chromium.sh")).status().unwrap();
                assert!(status.success(), "scripts/ensure-chromium.sh failed");
            }
            let output = found().expect("chromium is on the PATH after scripts/ensure-chromium.sh");
            PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
        })
        .clone()
}

/// Runs headless Chromium on a file with `args`; returns stdout and the console lines it logged.
fn headless(browser: &Path, profile: &Path, page: &Path, args: &[&str]) -> (String, Vec<String>) {
    let output = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed on {}:\n{stderr}", page.display());
    let console = stderr.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    (String::from_utf8_lossy(&output.stdout).into_owned(), console)
}

/// Drawing elements inside each `<figure data-chart=…>` of a rendered DOM.
fn chart_marks(dom: &str) -> Vec<(String, usize)> {
    dom.split("<figure data-chart=\"")
        .skip(1)
        .map(|figure| {
            let name = figure[..figure.find('"').unwrap_or(0)].to_string();
            let body = &figure[..figure.find("</figure>").unwrap_or(figure.len())];
            let marks = ["<rect", "<polyline", "<circle", "<line", "<path", "<text"]
                .iter()
                .map(|t| body.matches(t).count())
                .sum();
            (name, if body.contains("<svg") { marks } else { 0 })
        })
        .collect()
}

/// The widths a page is checked at: a desktop and a phone.
const WINDOWS: [u32; 2] = [1280, 390];

/// Opens `page` in a frame `width` px wide (headless Chromium's own window is never narrower
/// than 500 px) and returns the document's width and the frame's, as a probe added to a copy of
/// the page measured them once laid out, with the console lines logged on the way.
fn widths_at(browser: &Path, profile: &Path, page: &Path, width: u32) -> ((u32, u32), Vec<String>) {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = "<script>addEventListener('load', function () { parent.postMessage(\
                 document.documentElement.scrollWidth + ' ' + window.innerWidth, '*'); });</script>";
    let copy = page.with_extension("measured.html");
    std::fs::write(&copy, html.replace("</body>", &format!("{probe}</body>"))).unwrap();
    let frame = page.with_extension("frame.html");
    let name = copy.file_name().unwrap().to_string_lossy();
    std::fs::write(
        &frame,
        format!(
            "<!DOCTYPE html><body style=\"margin: 0\"><iframe src=\"{name}\" style=\"width: {width}px; height: 900px; border: 0\"></iframe>\
             <script>addEventListener('message', function (m) {{ document.title = 'widths ' + m.data; }});</script></body>"
        ),
    )
    .unwrap();
    let window = format!("--window-size={},1000", width.max(500) + 40);
    let (dom, console) = headless(browser, profile, &frame, &["--dump-dom", "--virtual-time-budget=10000", &window]);
    let title = dom.split("<title>widths ").nth(1).expect("the probe reported").split("</title>").next().unwrap();
    let mut numbers = title.split(' ').map(|n| n.parse::<u32>().unwrap());
    ((numbers.next().unwrap(), numbers.next().unwrap()), console)
}

#[test]
fn index_and_advisor_page_open_in_a_browser_on_a_desktop_and_a_phone() {
    let browser = chromium();
    let (dir, out) = sample_output();
    let profile = dir.path().join("profile");

    let index = out.join("index.html");
    let (dom, console) = headless(&browser, &profile, &index, &["--dump-dom", "--window-size=1280,900"]);
    assert!(console.is_empty(), "console messages on the index:\n{}", console.join("\n"));
    assert_eq!(dom.matches("<a href=\"advisors/").count(), 10, "every advisor linked (with the leaver)");
    assert!(dom.contains("data-sort=\"number\""), "sortable columns");
    assert!(!dom.contains("id=\"filter\" hidden"), "the script showed the manager filter");

    let page = out.join("advisors/priya-shah.html");
    let (dom, console) = headless(&browser, &profile, &page, &["--dump-dom", "--window-size=1280,900"]);
    assert!(console.is_empty(), "console messages on the advisor page:\n{}", console.join("\n"));
    let charts = chart_marks(&dom);
    let names: Vec<&str> = charts.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["trend", "bridge", "mix", "health", "outlook"]);
    for (name, marks) in &charts {
        assert!(*marks > 20, "the {name} chart is empty ({marks} marks)");
    }

    for width in WINDOWS {
        for shown in [&index, &page] {
            let ((document, window), console) = widths_at(&browser, &profile, shown, width);
            assert!(console.is_empty(), "console messages at {width} px:\n{}", console.join("\n"));
            assert_eq!(window, width, "the frame is {width} px wide");
            assert!(document <= width, "{} is {document} px wide at {width} px", shown.display());
        }
    }

    // Kept for a person to look at: the folder is not deleted after the test.
    let kept = dir.keep();
    for (page, width) in [("advisors/priya-shah.html", 1100), ("index.html", 390)] {
        let shot = kept.join(format!("{}-{width}.png", page.trim_end_matches(".html").replace('/', "-")));
        headless(
            &browser,
            &profile,
            &out.join(page),
            &["--hide-scrollbars", &format!("--window-size={width},1600"), &format!("--screenshot={}", shot.display())],
        );
        let png = std::fs::read(&shot).unwrap();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "screenshot at {}", shot.display());
        eprintln!("screenshot: {}", shot.display());
    }
}

#[test]
fn the_width_check_catches_a_page_wider_than_a_phone() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("wide.html");
    std::fs::write(&page, "<!DOCTYPE html><body style=\"margin: 0\"><div style=\"width: 700px\">x</div></body>")
        .unwrap();
    let (widths, _) = widths_at(&browser, &dir.path().join("profile"), &page, 390);
    assert_eq!(widths, (700, 390));
}

#[test]
fn the_console_check_catches_a_broken_page() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(&page, "<!DOCTYPE html><p>x</p><script>missing();</script>").unwrap();
    let (_, console) = headless(&browser, &dir.path().join("profile"), &page, &["--dump-dom"]);
    assert!(console.iter().any(|l| l.contains("missing is not defined")), "{console:?}");
}

/// The book plan's page (SPEC §13) on the samples: no console message, no wider than the window.
#[test]
fn the_plan_page_fits_a_desktop_and_a_phone() {
    let browser = chromium();
    let dir = tempfile::tempdir().unwrap();
    let samples = repo_root().join("samples");
    let run = crate::util::run_in(dir.path(), &["plan", "--data", samples.to_str().unwrap(), "--out", "plan"]);
    let run = run.success();
    assert!(run.stdout.contains("Proven optimal"), "{}", run.stdout);
    let page = dir.path().join("plan/plan.html");
    for width in WINDOWS {
        let ((document, window), console) = widths_at(&browser, &dir.path().join("profile"), &page, width);
        assert!(console.is_empty(), "console messages at {width} px:\n{}", console.join("\n"));
        assert_eq!(window, width);
        assert!(document <= width, "the plan page is {document} px wide at {width} px");
    }
}
