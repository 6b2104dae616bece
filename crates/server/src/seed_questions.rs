//! The starter question library shipped with CodeView and loaded into an empty question bank
//! on first start. Each question is one TOML file under `crates/server/seed/questions/`,
//! embedded into the binary at compile time, so the library needs no files at run time. The
//! tests below are what make the library trustworthy: every test case is checked against the
//! question's Python reference solution, and every starter program is compiled and fed every
//! test input to prove it reads the documented input format.
//!
//! The tests use the toolchains at the paths the runner uses (`codeview_runner::Toolchains`).
//! A missing one skips its test with a `SKIPPED` line on the terminal — unless
//! `CODEVIEW_REQUIRE_TOOLCHAINS=1` (CI), where it fails the test.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One question of the starter library, as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedQuestion {
    /// Stable identifier, equal to the file name without `.toml`; used to avoid re-seeding.
    pub slug: String,
    pub title: String,
    /// Markdown with **Input format**, **Output format**, constraints and one example.
    pub prompt: String,
    pub difficulty: crate::domain::Difficulty,
    pub category: String,
    pub tags: Vec<String>,
    /// Language id (`python`, `javascript`, `typescript`, `java`, `cpp`, `c`, `rust`, `go`,
    /// `ruby`, `php`, `csharp`, `bash`) to a complete program that reads stdin and calls an
    /// empty function for the candidate.
    pub starter_code: BTreeMap<String, String>,
    pub test_cases: Vec<SeedTestCase>,
    /// A Python program solving the question. Server-side only: never send it to a client.
    pub reference_python: String,
}

/// One stdin/stdout test case of a seed question.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTestCase {
    pub input: String,
    pub expected_output: String,
    /// Hidden cases are never shown to a candidate, only their verdict.
    pub hidden: bool,
}

/// Expands to `&[(file name, file contents)]` for the named files in `seed/questions/`.
macro_rules! seed_files {
    ($($slug:literal),* $(,)?) => {
        &[$((
            concat!($slug, ".toml"),
            include_str!(concat!("../seed/questions/", $slug, ".toml")),
        )),*]
    };
}
pub(crate) use seed_files;

/// Every question file, embedded at compile time. A test checks that this list matches the
/// directory, so a new file cannot be forgotten here.
const FILES: &[(&str, &str)] = seed_files![
    "balanced-brackets",
    "best-profit-streak",
    "cheapest-climb",
    "cheapest-route",
    "count-islands",
    "course-order",
    "edit-distance",
    "fewest-coins",
    "fewest-jumps",
    "find-unpaired",
    "first-anagram-index",
    "largest-rectangle",
    "longest-unique-substring",
    "lru-cache",
    "meeting-rooms",
    "merge-intervals",
    "merge-sorted-lists",
    "next-warmer-day",
    "rescue-boats",
    "reverse-in-groups",
    "reverse-linked-list",
    "run-length-encoding",
    "running-median",
    "search-rotated-array",
    "shipping-capacity",
    "sliding-window-maximum",
    "subarrays-with-sum",
    "top-k-frequent",
    "total-hamming-distance",
    "trapped-rainwater",
    "tree-max-path-sum",
    "two-sum-indices",
    "validate-bst",
];

/// Parses the embedded starter library, in file-name order.
///
/// # Panics
/// If a file is not a valid question. The files are compile-time data covered by the tests
/// in this module, so a panic here means a broken build, not bad user input.
pub fn starter_library() -> Vec<SeedQuestion> {
    FILES
        .iter()
        .map(|(name, text)| toml::from_str(text).unwrap_or_else(|err| panic!("seed question {name}: {err}")))
        .collect()
}

#[cfg(test)]
mod tests {
    //! Three layers of checks: the library's shape, the expected outputs against the Python
    //! reference solutions, and the starter programs against the documented input format
    //! (each compiled with the real toolchain and run on every test input; a stub returns a
    //! default answer, so only the exit status is checked).

    use std::collections::BTreeSet;
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output, Stdio};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use codeview_runner::Toolchains;

    use super::*;

    /// Every question has a starter in each of these.
    const REQUIRED_LANGUAGES: [&str; 12] =
        ["python", "javascript", "typescript", "java", "cpp", "c", "rust", "go", "ruby", "php", "csharp", "bash"];

    /// The toolchains candidates' code runs with.
    fn tools() -> Toolchains {
        Toolchains::default()
    }

    /// Trailing whitespace on each line and trailing blank lines do not count, the same rule
    /// a lenient judge applies.
    fn normalise(text: &str) -> String {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let end = lines.iter().rposition(|line| !line.is_empty()).map_or(0, |i| i + 1);
        lines[..end].join("\n")
    }

    /// Runs `command` with `input` on stdin. The input is written from a second thread so
    /// that a program producing a lot of output before reading everything cannot deadlock.
    fn run(command: &mut Command, input: &str) -> Output {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {command:?}: {err}"));
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_owned();
        let writer = std::thread::spawn(move || {
            // A program may exit without reading its input; a broken pipe is fine then.
            let _ = stdin.write_all(input.as_bytes());
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        output
    }

    /// Calls `check` on every item from a few worker threads and collects the failure
    /// messages it returns, so that one run reports every broken case at once.
    fn check_all<T: Sync>(items: &[T], check: impl Fn(&T) -> Vec<String> + Sync) -> Vec<String> {
        let next = AtomicUsize::new(0);
        let failures = Mutex::new(Vec::new());
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let found = check(item);
                        failures.lock().unwrap().extend(found);
                    }
                });
            }
        });
        let mut failures = failures.into_inner().unwrap();
        failures.sort();
        failures
    }

    fn assert_no_failures(what: &str, failures: &[String]) {
        assert!(failures.is_empty(), "{what}: {} failure(s)\n{}", failures.len(), failures.join("\n"));
    }

    /// Whether `program` is installed (answers `version_flag`), for the check `what`. When it is
    /// not: a failure under `CODEVIEW_REQUIRE_TOOLCHAINS=1`, else a `SKIPPED` line written to
    /// the terminal itself (the harness captures `eprintln!`, which would hide it) and `false`.
    fn toolchain(program: &Path, version_flag: &str, what: &str) -> bool {
        let answer = Command::new(program).arg(version_flag).stdin(Stdio::null()).output();
        let missing = match answer {
            Ok(output) if output.status.success() => return true,
            Ok(output) => format!("`{} {version_flag}` exited with {}", program.display(), output.status),
            Err(err) => format!("{} cannot run ({err})", program.display()),
        };
        let install = "scripts/install-deps.sh installs it (scripts/apt-packages.txt)";
        if std::env::var("CODEVIEW_REQUIRE_TOOLCHAINS").is_ok_and(|v| v == "1" || v == "true") {
            panic!("cannot check {what}: {missing}. CODEVIEW_REQUIRE_TOOLCHAINS=1 makes that a failure; {install}.");
        }
        let line = format!("SKIPPED: cannot check {what}: {missing}; {install}.\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
        false
    }

    /// A fresh scratch directory for one compilation, removed when dropped.
    struct ScratchDir(PathBuf);

    impl ScratchDir {
        fn new(label: &str) -> Self {
            let path = std::env::temp_dir().join(format!("codeview-seed-{}-{label}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            ScratchDir(path)
        }
    }

    impl Drop for ScratchDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Runs `program` on every test input of `question` and reports each non-zero exit.
    fn run_on_every_input(
        question: &SeedQuestion,
        language: &str,
        program: &mut dyn FnMut() -> Command,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for (index, case) in question.test_cases.iter().enumerate() {
            let output = run(&mut program(), &case.input);
            if !output.status.success() {
                failures.push(format!(
                    "{} case {index}: {language} starter exited with {}: {}",
                    question.slug,
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
        }
        failures
    }

    #[test]
    fn the_library_has_at_least_twenty_well_formed_questions() {
        let library = starter_library();
        assert!(library.len() >= 20, "only {} questions", library.len());
        let mut slugs = BTreeSet::new();
        for ((file, _), question) in FILES.iter().zip(&library) {
            let slug = &question.slug;
            assert!(slugs.insert(slug.clone()), "duplicate slug {slug}");
            assert_eq!(format!("{slug}.toml"), *file, "slug and file name differ");
            assert!(
                slug.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{slug}: slugs are lowercase words joined by '-'"
            );
            assert!(!question.title.trim().is_empty(), "{slug}: empty title");
            assert!(!question.category.trim().is_empty(), "{slug}: empty category");
            assert!(!question.tags.is_empty(), "{slug}: no tags");
            assert!(
                ["easy", "medium", "hard"].contains(&question.difficulty.as_str()),
                "{slug}: difficulty {:?}",
                question.difficulty
            );
            for section in ["**Input format**", "**Output format**", "**Constraints**", "**Example**"] {
                assert!(question.prompt.contains(section), "{slug}: prompt lacks {section}");
            }
            assert!(question.reference_python.contains("sys.stdin"), "{slug}: reference must read stdin");

            let cases = &question.test_cases;
            assert!(cases.len() >= 5, "{slug}: only {} test cases", cases.len());
            assert!(cases.iter().any(|case| case.hidden), "{slug}: no hidden test case");
            assert!(cases.iter().any(|case| !case.hidden), "{slug}: no visible test case");
            assert!(!cases[0].hidden, "{slug}: the first case is the prompt's example, so it is visible");

            for language in REQUIRED_LANGUAGES {
                assert!(question.starter_code.contains_key(language), "{slug}: no {language} starter");
            }
            for (language, code) in &question.starter_code {
                assert!(codeview_runner::Language::parse(language).is_ok(), "{slug}: unknown language {language}");
                assert!(code.contains("TODO"), "{slug}: the {language} starter should mark where to write");
            }
            assert!(
                question.starter_code["java"].contains("public class Main"),
                "{slug}: the Java starter must be `public class Main`"
            );
        }
    }

    #[test]
    fn the_embedded_list_matches_the_questions_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/questions");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("SKIPPED: {} not found (built outside the server crate?)", dir.display());
            return;
        };
        let on_disk: BTreeSet<String> = entries
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        let embedded: BTreeSet<String> =
            FILES.iter().chain(crate::seed_sql_questions::FILES).map(|(name, _)| (*name).to_owned()).collect();
        assert_eq!(on_disk, embedded, "add new question files to FILES in seed_questions.rs");
    }

    #[test]
    fn every_expected_output_matches_the_reference_solution() {
        let python = tools().python;
        if !toolchain(&python, "--version", "the reference solutions") {
            return;
        }
        let library = starter_library();
        let cases: Vec<(&SeedQuestion, usize)> =
            library.iter().flat_map(|q| (0..q.test_cases.len()).map(move |i| (q, i))).collect();
        let failures = check_all(&cases, |&(question, index)| {
            let case = &question.test_cases[index];
            let output = run(Command::new(&python).arg("-c").arg(&question.reference_python), &case.input);
            let actual = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() {
                return vec![format!(
                    "{} case {index}: reference exited with {}: {}",
                    question.slug,
                    output.status,
                    String::from_utf8_lossy(&output.stderr).trim()
                )];
            }
            if normalise(&actual) != normalise(&case.expected_output) {
                return vec![format!(
                    "{} case {index}: expected {:?}, reference printed {:?}",
                    question.slug,
                    normalise(&case.expected_output),
                    normalise(&actual)
                )];
            }
            Vec::new()
        });
        assert_no_failures("reference solutions", &failures);
    }

    #[test]
    fn python_starters_read_every_test_input() {
        let python = tools().python;
        if !toolchain(&python, "--version", "the python starters") {
            return;
        }
        let library = starter_library();
        let failures = check_all(&library, |question| {
            let code = &question.starter_code["python"];
            run_on_every_input(question, "python", &mut || {
                let mut command = Command::new(&python);
                command.arg("-c").arg(code);
                command
            })
        });
        assert_no_failures("python starters", &failures);
    }

    /// Runs every question's `language` starter (as JavaScript, after `to_js`) on every input in
    /// one `node` process, each in a fresh `vm` context whose `process.stdin` replays the input;
    /// a node per case would take a minute.
    fn check_node_starters(language: &str, node: &Path, to_js: impl Fn(&SeedQuestion) -> Result<String, String>) {
        const HARNESS: &str = r#"
const vm = require("vm");
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
let failures = 0;
for (const { name, code, input } of cases) {
  const handlers = {};
  const stdin = { setEncoding() {}, on(event, handler) { handlers[event] = handler; } };
  try {
    vm.runInNewContext(code, { process: { stdin }, console: { log() {} } });
    handlers.data(input);
    handlers.end();
  } catch (error) {
    failures++;
    console.error(`${name}: ${error}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
"#;
        let library = starter_library();
        let mut cases = Vec::new();
        let mut failures = Vec::new();
        for question in &library {
            let code = match to_js(question) {
                Ok(code) => code,
                Err(message) => {
                    failures.push(format!("{}: {language} starter does not compile:\n{message}", question.slug));
                    continue;
                }
            };
            for (index, case) in question.test_cases.iter().enumerate() {
                cases.push(format!(
                    "{{\"name\":{},\"code\":{},\"input\":{}}}",
                    json_string(&format!("{} case {index}", question.slug)),
                    json_string(&code),
                    json_string(&case.input)
                ));
            }
        }
        assert_no_failures(&format!("{language} starters"), &failures);
        let output = run(Command::new(node).arg("-e").arg(HARNESS), &format!("[{}]", cases.join(",")));
        assert!(
            output.status.success(),
            "{language} starters failed on some inputs:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn javascript_starters_read_every_test_input() {
        let node = tools().node;
        if !toolchain(&node, "--version", "the javascript starters") {
            return;
        }
        check_node_starters("javascript", &node, |question| Ok(question.starter_code["javascript"].clone()));
    }

    /// Each TypeScript starter goes through `esbuild` as the runner compiles it (types
    /// stripped, CommonJS for node 20), then runs like a JavaScript starter.
    #[test]
    fn typescript_starters_compile_and_read_every_test_input() {
        let Toolchains { node, esbuild, .. } = tools();
        if !toolchain(&node, "--version", "the typescript starters")
            || !toolchain(&esbuild, "--version", "the typescript starters")
        {
            return;
        }
        check_node_starters("typescript", &node, |question| {
            let mut command = Command::new(&esbuild);
            command.args(["--loader=ts", "--format=cjs", "--platform=node", "--target=node20", "--log-level=error"]);
            let output = run(&mut command, &question.starter_code["typescript"]);
            if output.status.success() {
                Ok(String::from_utf8_lossy(&output.stdout).into_owned())
            } else {
                Err(String::from_utf8_lossy(&output.stderr).into_owned())
            }
        });
    }

    /// A JSON string literal, enough for the harness input (no serde_json in this module).
    fn json_string(text: &str) -> String {
        let mut out = String::from("\"");
        for ch in text.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                ch if u32::from(ch) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(ch))),
                ch => out.push(ch),
            }
        }
        out.push('"');
        out
    }

    /// Compiles each question's starter for `language` with `compile` (given the scratch
    /// directory and source file, returning the binary) and runs it on every test input.
    fn check_compiled_starters(
        language: &str,
        source_name: &str,
        compile: impl Fn(&Path, &Path) -> Result<PathBuf, String> + Sync,
    ) {
        let library = starter_library();
        let failures = check_all(&library, |question| {
            let Some(code) = question.starter_code.get(language) else {
                return Vec::new();
            };
            let scratch = ScratchDir::new(&format!("{}-{language}", question.slug));
            let source = scratch.0.join(source_name);
            std::fs::write(&source, code).unwrap();
            match compile(&scratch.0, &source) {
                Ok(binary) => run_on_every_input(question, language, &mut || Command::new(&binary)),
                Err(message) => vec![format!("{}: {language} starter does not compile:\n{message}", question.slug)],
            }
        });
        assert_no_failures(&format!("{language} starters"), &failures);
    }

    /// Runs a compiler and turns a failure into its diagnostics.
    fn compile_with(command: &mut Command) -> Result<(), String> {
        let output = command.stdin(Stdio::null()).output().map_err(|err| err.to_string())?;
        if output.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&output.stderr).into_owned()) }
    }

    #[test]
    fn c_starters_compile_and_read_every_test_input() {
        let gcc = tools().gcc;
        if !toolchain(&gcc, "--version", "the c starters") {
            return;
        }
        check_compiled_starters("c", "main.c", |dir, source| {
            let binary = dir.join("main");
            compile_with(
                Command::new(&gcc)
                    .args(["-std=c11", "-O1", "-Werror=implicit-function-declaration"])
                    .args(["-Werror=incompatible-pointer-types", "-Werror=int-conversion", "-o"])
                    .arg(&binary)
                    .arg(source),
            )?;
            Ok(binary)
        });
    }

    #[test]
    fn cpp_starters_compile_and_read_every_test_input() {
        let gxx = tools().gxx;
        if !toolchain(&gxx, "--version", "the cpp starters") {
            return;
        }
        check_compiled_starters("cpp", "main.cpp", |dir, source| {
            let binary = dir.join("main");
            compile_with(Command::new(&gxx).args(["-std=c++17", "-O1", "-o"]).arg(&binary).arg(source))?;
            Ok(binary)
        });
    }

    #[test]
    fn rust_starters_compile_and_read_every_test_input() {
        let rustc = tools().rustc;
        if !toolchain(&rustc, "--version", "the rust starters") {
            return;
        }
        check_compiled_starters("rust", "main.rs", |dir, source| {
            let binary = dir.join("main");
            // Stubs have unused parameters by design; only errors matter here.
            compile_with(
                Command::new(&rustc).args(["--edition", "2024", "--cap-lints", "allow", "-o"]).arg(&binary).arg(source),
            )?;
            Ok(binary)
        });
    }

    #[test]
    fn go_starters_compile_and_read_every_test_input() {
        let go = tools().go;
        if !toolchain(&go, "version", "the go starters") {
            return;
        }
        check_compiled_starters("go", "main.go", |dir, source| {
            let binary = dir.join("main");
            compile_with(
                Command::new(&go)
                    .args(["build", "-o"])
                    .arg(&binary)
                    .arg(source)
                    .current_dir(dir)
                    .env("GO111MODULE", "off")
                    .env("GOCACHE", dir.join("gocache")),
            )?;
            Ok(binary)
        });
    }

    /// Runs every question's `language` starter, written to `source_name` in a scratch
    /// directory, with `interpreter` (its arguments, then the file) on every test input. An
    /// interpreter carries on after a warning (bash after a bad expansion, PHP after reading a
    /// missing array key), so anything on stderr is a failure too.
    fn check_interpreted_starters(language: &str, source_name: &str, interpreter: &Path, args: &[&str]) {
        let library = starter_library();
        let failures = check_all(&library, |question| {
            let scratch = ScratchDir::new(&format!("{}-{language}", question.slug));
            let source = scratch.0.join(source_name);
            std::fs::write(&source, &question.starter_code[language]).unwrap();
            let mut failures = Vec::new();
            for (index, case) in question.test_cases.iter().enumerate() {
                let output = run(Command::new(interpreter).args(args).arg(&source), &case.input);
                if !output.status.success() || !output.stderr.is_empty() {
                    failures.push(format!(
                        "{} case {index}: {language} starter exited with {}: {}",
                        question.slug,
                        output.status,
                        String::from_utf8_lossy(&output.stderr).trim()
                    ));
                }
            }
            failures
        });
        assert_no_failures(&format!("{language} starters"), &failures);
    }

    /// With the runner's own flags (no RubyGems), and warnings on.
    #[test]
    fn ruby_starters_read_every_test_input() {
        let ruby = tools().ruby;
        if !toolchain(&ruby, "--version", "the ruby starters") {
            return;
        }
        check_interpreted_starters("ruby", "main.rb", &ruby, &["--disable-gems", "-w"]);
    }

    /// Without php.ini, as the runner runs it, and with every notice reported.
    #[test]
    fn php_starters_read_every_test_input() {
        let php = tools().php;
        if !toolchain(&php, "--version", "the php starters") {
            return;
        }
        check_interpreted_starters(
            "php",
            "main.php",
            &php,
            &["-n", "-d", "error_reporting=-1", "-d", "display_errors=stderr"],
        );
    }

    /// `bash -n` first (the runner's compile step), then the script on every input.
    #[test]
    fn bash_starters_pass_the_syntax_check_and_read_every_test_input() {
        let bash = tools().bash;
        if !toolchain(&bash, "--version", "the bash starters") {
            return;
        }
        let library = starter_library();
        let failures = check_all(&library, |question| {
            let output = run(Command::new(&bash).arg("-n"), &question.starter_code["bash"]);
            if output.status.success() {
                Vec::new()
            } else {
                vec![format!("{}: bash -n: {}", question.slug, String::from_utf8_lossy(&output.stderr).trim())]
            }
        });
        assert_no_failures("bash syntax", &failures);
        check_interpreted_starters("bash", "main.sh", &bash, &[]);
    }

    /// Compiled with `mcs` as the runner compiles them (System.Core's LINQ and System.Numerics
    /// referenced), run with `mono`.
    #[test]
    fn csharp_starters_compile_and_read_every_test_input() {
        let Toolchains { mcs, mono, .. } = tools();
        if !toolchain(&mcs, "--version", "the csharp starters") || !toolchain(&mono, "--version", "the csharp starters")
        {
            return;
        }
        let library = starter_library();
        let failures = check_all(&library, |question| {
            let scratch = ScratchDir::new(&format!("{}-csharp", question.slug));
            let source = scratch.0.join("main.cs");
            std::fs::write(&source, &question.starter_code["csharp"]).unwrap();
            let binary = scratch.0.join("main.exe");
            let mut out = std::ffi::OsString::from("-out:");
            out.push(&binary);
            let compiled =
                compile_with(Command::new(&mcs).args(["-optimize+", "-r:System.Numerics.dll"]).arg(out).arg(&source));
            match compiled {
                Ok(()) => run_on_every_input(question, "csharp", &mut || {
                    let mut command = Command::new(&mono);
                    command.arg(&binary);
                    command
                }),
                Err(message) => vec![format!("{}: csharp starter does not compile:\n{message}", question.slug)],
            }
        });
        assert_no_failures("csharp starters", &failures);
    }

    /// Java starters are all `public class Main`, so each goes into its own package and one
    /// `javac` run compiles them all; a small harness then feeds every test input to every
    /// `main` inside a single JVM. Starting a JVM per case would take minutes.
    #[test]
    fn java_starters_compile_and_read_every_test_input() {
        let Toolchains { javac, java, .. } = tools();
        if !toolchain(&javac, "-version", "the java starters") || !toolchain(&java, "-version", "the java starters") {
            return;
        }
        const HARNESS: &str = r#"
import java.io.*;
import java.nio.file.*;

public class Harness {
    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        int failures = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[i + 1]))));
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            try {
                Class.forName(args[i]).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            } catch (Throwable e) {
                failures++;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                System.err.println("FAIL " + args[i] + " " + args[i + 1] + ": " + cause);
            }
        }
        System.setOut(realOut);
        System.exit(failures == 0 ? 0 : 1);
    }
}
"#;
        let library = starter_library();
        let scratch = ScratchDir::new("java");
        let mut sources = vec![scratch.0.join("Harness.java")];
        std::fs::write(&sources[0], HARNESS).unwrap();
        let mut harness_args = Vec::new();
        for question in &library {
            let package = format!("seed_{}", question.slug.replace('-', "_"));
            let dir = scratch.0.join(&package);
            std::fs::create_dir_all(&dir).unwrap();
            let source = dir.join("Main.java");
            std::fs::write(&source, format!("package {package};\n{}", question.starter_code["java"])).unwrap();
            sources.push(source);
            for (index, case) in question.test_cases.iter().enumerate() {
                let input = dir.join(format!("case{index}.txt"));
                std::fs::write(&input, &case.input).unwrap();
                harness_args.push(format!("{package}.Main"));
                harness_args.push(input.to_string_lossy().into_owned());
            }
        }
        let classes = scratch.0.join("classes");
        let compiled = compile_with(Command::new(&javac).arg("-d").arg(&classes).args(&sources));
        if let Err(message) = compiled {
            panic!("java starters do not compile (package seed_<slug> names the question):\n{message}");
        }
        let output = Command::new(&java)
            .args(["-Xmx256m", "-cp"])
            .arg(&classes)
            .arg("Harness")
            .args(&harness_args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "java starters failed on some inputs (package seed_<slug>, caseN = test case index):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn normalise_ignores_trailing_whitespace_only() {
        assert_eq!(normalise("1 2 \n3\n\n\n"), "1 2\n3");
        assert_eq!(normalise(""), "");
        assert_eq!(normalise("\n"), "");
        assert_ne!(normalise(" 1"), normalise("1"));
    }
}
