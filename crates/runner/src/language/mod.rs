//! The languages: how each one is compiled and run inside the sandbox, which host files its
//! toolchain needs, whether it is available here and which version it is.

mod java;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::Toolchains;
use crate::limits::Limits;

/// A language a job can be written in. Ids: `python, javascript, typescript, java, c, cpp,
/// rust, go, ruby, php, csharp, bash, sql`. This is the one list of languages: the server and
/// its API use this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    JavaScript,
    TypeScript,
    Java,
    C,
    Cpp,
    Rust,
    Go,
    Ruby,
    Php,
    CSharp,
    Bash,
    /// SQL on SQLite: the question's schema and each case's seed data set up a fresh database,
    /// then the query runs and prints its result as a table (see `table`).
    Sql,
}

impl Language {
    pub const ALL: [Language; 13] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Java,
        Language::C,
        Language::Cpp,
        Language::Rust,
        Language::Go,
        Language::Ruby,
        Language::Php,
        Language::CSharp,
        Language::Bash,
        Language::Sql,
    ];

    /// The public id, e.g. `"cpp"`.
    pub fn id(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Java => "java",
            Language::C => "c",
            Language::Cpp => "cpp",
            Language::Rust => "rust",
            Language::Go => "go",
            Language::Ruby => "ruby",
            Language::Php => "php",
            Language::CSharp => "csharp",
            Language::Bash => "bash",
            Language::Sql => "sql",
        }
    }

    /// The public id (the name the server's other vocabularies use).
    pub fn as_str(self) -> &'static str {
        self.id()
    }

    /// Reads a language id as people send it (surrounding spaces allowed), explaining a
    /// refusal with the list of ids.
    pub fn parse(raw: &str) -> Result<Language, String> {
        let raw = raw.trim();
        Language::ALL.into_iter().find(|l| l.id() == raw).ok_or_else(|| {
            let known: Vec<&str> = Language::ALL.iter().map(|l| l.id()).collect();
            format!("must be one of: {}", known.join(", "))
        })
    }

    /// The display name, e.g. `"C++"`.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::TypeScript => "TypeScript",
            Language::Java => "Java",
            Language::C => "C",
            Language::Cpp => "C++",
            Language::Rust => "Rust",
            Language::Go => "Go",
            Language::Ruby => "Ruby",
            Language::Php => "PHP",
            Language::CSharp => "C#",
            Language::Bash => "Bash",
            Language::Sql => "SQL",
        }
    }
}

impl FromStr for Language {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL.into_iter().find(|l| l.id() == s).ok_or_else(|| crate::Error::LanguageUnavailable {
            language: s.into(),
            reason: "unknown language id".into(),
        })
    }
}

impl TryFrom<String> for Language {
    type Error = String;

    /// For records read from a store.
    fn try_from(raw: String) -> Result<Language, String> {
        Language::parse(&raw)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// What `GET /api/languages` shows for one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageInfo {
    pub id: String,
    pub name: String,
    /// Probed once from the toolchain, e.g. `"3.11.2"`; empty when unavailable.
    pub version: String,
    pub available: bool,
    /// Why it is unavailable (`None` when available).
    pub reason: Option<String>,
}

/// A command to run inside the sandbox, with the extra environment it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cmd {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl Cmd {
    fn new(argv: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Cmd { argv: argv.into_iter().map(Into::into).collect(), env: Vec::new() }
    }

    fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
}

/// How to build and run one program: the file to write into the work dir, the optional
/// compile command, the optional set-up of each case, the run command. Paths inside the
/// sandbox: the work dir is `/work`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub source_name: String,
    pub compile: Option<Cmd>,
    /// A step before each case's run, fed the case's stdin, with the work dir writable (SQL:
    /// the question's schema and the case's seed data into a fresh `/work/case.db`). Its
    /// failure is the set-up's, not the program's.
    pub setup: Option<Cmd>,
    pub run: Cmd,
    /// The runtime reserves far more address space than it uses (JVM, V8, Go): never give it
    /// RLIMIT_AS, only the memory cgroup.
    pub reserves_address_space: bool,
}

/// Toolchain paths resolved on the host (symlinks such as `/etc/alternatives` followed), so
/// the sandbox needs no `/etc/alternatives`.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    paths: HashMap<&'static str, PathBuf>,
    missing: HashMap<Language, String>,
}

impl Resolved {
    pub fn resolve(t: &Toolchains, bound_roots: &[PathBuf]) -> Self {
        let wanted: [(&'static str, &Path, &[Language]); 15] = [
            ("python", &t.python, &[Language::Python]),
            ("node", &t.node, &[Language::JavaScript, Language::TypeScript]),
            ("esbuild", &t.esbuild, &[Language::TypeScript]),
            ("javac", &t.javac, &[Language::Java]),
            ("java", &t.java, &[Language::Java]),
            ("gcc", &t.gcc, &[Language::C]),
            ("gxx", &t.gxx, &[Language::Cpp]),
            ("rustc", &t.rustc, &[Language::Rust]),
            ("go", &t.go, &[Language::Go]),
            ("ruby", &t.ruby, &[Language::Ruby]),
            ("php", &t.php, &[Language::Php]),
            ("mcs", &t.mcs, &[Language::CSharp]),
            ("mono", &t.mono, &[Language::CSharp]),
            ("bash", &t.bash, &[Language::Bash]),
            ("sqlite3", &t.sqlite3, &[Language::Sql]),
        ];
        let mut paths = HashMap::new();
        let mut missing = HashMap::new();
        for (key, path, langs) in wanted {
            match check_tool(path, bound_roots) {
                Ok(real) => {
                    paths.insert(key, real);
                }
                Err(reason) => {
                    for l in langs {
                        missing.entry(*l).or_insert_with(|| reason.clone());
                    }
                }
            }
        }
        // rustc links with `cc`; the Rust toolchain is useless without it.
        if !missing.contains_key(&Language::Rust) && !Path::new("/usr/bin/cc").exists() {
            missing.insert(Language::Rust, "rustc needs a C linker: /usr/bin/cc is missing".into());
        }
        Resolved { paths, missing }
    }

    pub fn unavailable_reason(&self, lang: Language) -> Option<&str> {
        self.missing.get(&lang).map(String::as_str)
    }

    fn path(&self, key: &str) -> String {
        self.paths.get(key).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// The toolchain must exist, be executable by anyone (it runs as a slot uid) and live under a
/// directory that is bound into the sandbox.
fn check_tool(path: &Path, bound_roots: &[PathBuf]) -> Result<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    let real = std::fs::canonicalize(path).map_err(|e| format!("{} not found ({e})", path.display()))?;
    let meta = std::fs::metadata(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    if meta.permissions().mode() & 0o001 == 0 {
        return Err(format!("{} is not executable by other users", real.display()));
    }
    // /usr is bound except /usr/local, which the sandbox hides unless bound explicitly.
    let visible =
        bound_roots.iter().any(|r| real.starts_with(r) && (r != Path::new("/usr") || !real.starts_with("/usr/local")));
    if !visible {
        return Err(format!(
            "{} is outside the directories bound into the sandbox (/usr and extra_ro_binds)",
            real.display()
        ));
    }
    Ok(real)
}

/// Builds the plan for `source` in `lang`. `run_limits` sizes the runtimes' own heaps.
pub(crate) fn plan(lang: Language, source: &str, tools: &Resolved, run_limits: &Limits) -> Plan {
    let mem_mb = (run_limits.memory_bytes / (1024 * 1024)).max(16);
    let p = |k: &str| tools.path(k);
    let native = |compile: Cmd, source_name: &str| Plan {
        source_name: source_name.into(),
        compile: Some(compile),
        setup: None,
        run: Cmd::new(["/work/main"]),
        reserves_address_space: false,
    };
    match lang {
        Language::Python => Plan {
            source_name: "main.py".into(),
            compile: None,
            setup: None,
            // -I: ignore PYTHON* env and user site; -B: no .pyc writes into the read-only work
            // dir; -S: no `site` (standard library only), which cuts start-up by a third.
            run: Cmd::new([p("python"), "-I".into(), "-B".into(), "-S".into(), "/work/main.py".into()]),
            reserves_address_space: false,
        },
        Language::JavaScript => Plan {
            source_name: "main.js".into(),
            compile: None,
            setup: None,
            run: node_cmd(&p("node"), mem_mb),
            reserves_address_space: true,
        },
        Language::TypeScript => Plan {
            source_name: "main.ts".into(),
            // esbuild strips the types (no type check, like `node --experimental-strip-types`)
            // and turns ES imports into require() so that plain `node main.js` runs it.
            compile: Some(Cmd::new([
                p("esbuild"),
                "/work/main.ts".into(),
                "--outfile=/work/main.js".into(),
                "--format=cjs".into(),
                "--platform=node".into(),
                "--target=node20".into(),
                "--log-level=error".into(),
            ])),
            setup: None,
            run: node_cmd(&p("node"), mem_mb),
            reserves_address_space: true,
        },
        Language::Java => {
            let names = java::java_names(source);
            // As for V8: the heap may reach the memory limit, so the cgroup, not the JVM's
            // OutOfMemoryError (which a program can print itself), decides `memory_limit`.
            let heap_mb = mem_mb;
            Plan {
                compile: Some(Cmd::new([
                    p("javac"),
                    "-J-Xmx512m".into(),
                    "-J-XX:+UseSerialGC".into(),
                    "-J-XX:TieredStopAtLevel=1".into(),
                    "-J-XX:-UsePerfData".into(),
                    "-encoding".into(),
                    "UTF-8".into(),
                    "-d".into(),
                    "/work".into(),
                    format!("/work/{}", names.file_name),
                ])),
                run: Cmd::new([
                    p("java"),
                    format!("-Xmx{heap_mb}m"),
                    "-Xss64m".into(),
                    "-XX:+UseSerialGC".into(),
                    "-XX:-UsePerfData".into(),
                    "-XX:ReservedCodeCacheSize=32m".into(),
                    "-XX:MaxMetaspaceSize=128m".into(),
                    "-XX:ActiveProcessorCount=1".into(),
                    "-cp".into(),
                    "/work".into(),
                    names.main_class,
                ]),
                setup: None,
                source_name: names.file_name,
                reserves_address_space: true,
            }
        }
        Language::C => native(
            Cmd::new([
                p("gcc"),
                "-O2".into(),
                "-pipe".into(),
                "-std=gnu17".into(),
                "-o".into(),
                "/work/main".into(),
                "/work/main.c".into(),
                "-lm".into(),
            ]),
            "main.c",
        ),
        Language::Cpp => native(
            Cmd::new([
                p("gxx"),
                "-O2".into(),
                "-pipe".into(),
                "-std=gnu++17".into(),
                "-o".into(),
                "/work/main".into(),
                "/work/main.cpp".into(),
            ]),
            "main.cpp",
        ),
        Language::Rust => native(
            Cmd::new([
                p("rustc"),
                "--edition=2024".into(),
                "-O".into(),
                "-C".into(),
                "debuginfo=0".into(),
                "-o".into(),
                "/work/main".into(),
                "/work/main.rs".into(),
            ]),
            "main.rs",
        ),
        Language::Go => Plan {
            reserves_address_space: true,
            ..native(
                Cmd::new([p("go"), "build".into(), "-o".into(), "/work/main".into(), "/work/main.go".into()])
                    .env("GOCACHE", "/tmp/go-cache")
                    .env("GOPATH", "/tmp/go")
                    .env("GO111MODULE", "off")
                    .env("CGO_ENABLED", "0"),
                "main.go",
            )
        },
        Language::Ruby => Plan {
            setup: None,
            source_name: "main.rb".into(),
            compile: None,
            // No RubyGems: the standard library (set, json, …) loads without it, and start-up
            // is a quarter of what it is with it. Bundled gems (prime, matrix) are not loaded.
            run: Cmd::new([p("ruby"), "--disable-gems".into(), "/work/main.rb".into()]),
            reserves_address_space: false,
        },
        Language::Php => Plan {
            setup: None,
            source_name: "main.php".into(),
            compile: None,
            // No php.ini (the host's settings never apply); no memory_limit of PHP's own, so
            // the memory cgroup decides `memory_limit` as for every runtime; errors on stderr,
            // once. ctype is the one shared extension loaded back (the rest are built in).
            run: Cmd::new([
                p("php"),
                "-n".into(),
                "-d".into(),
                "memory_limit=-1".into(),
                "-d".into(),
                "display_errors=stderr".into(),
                "-d".into(),
                "log_errors=0".into(),
                "-d".into(),
                "extension=ctype".into(),
                "/work/main.php".into(),
            ]),
            reserves_address_space: false,
        },
        Language::CSharp => Plan {
            setup: None,
            source_name: "main.cs".into(),
            compile: Some(Cmd::new([
                p("mcs"),
                "-optimize+".into(),
                "-r:System.Numerics.dll".into(),
                "-out:/work/main.exe".into(),
                "/work/main.cs".into(),
            ])),
            // No heap cap of Mono's own (its OutOfMemoryException would come first, a program
            // can print one): the memory cgroup decides `memory_limit`. Mono reserves little
            // address space, so without cgroups RLIMIT_AS bounds it as for a native program.
            run: Cmd::new([p("mono"), "/work/main.exe".into()]),
            reserves_address_space: false,
        },
        Language::Bash => Plan {
            setup: None,
            source_name: "main.sh".into(),
            // bash runs a script line by line, so a syntax error would only stop it half-way:
            // `bash -n` reads it all first, and a syntax error is a compile error, run nothing.
            compile: Some(Cmd::new([p("bash"), "-n".into(), "/work/main.sh".into()])),
            run: Cmd::new([p("bash"), "/work/main.sh".into()]),
            reserves_address_space: false,
        },
        Language::Sql => sql_plan(&p("sqlite3")),
    }
}

/// The schema (`/work/setup.sql`, empty without one) and the case's stdin (its seed data) build
/// a fresh `/work/case.db`; the query (`/work/main.sql`) then runs on an in-memory copy of it
/// (so it may change data freely) and prints the result with column names in quote mode.
/// `-bail` stops at the first error, whose message `sqlite3` prints on stderr.
fn sql_plan(sqlite3: &str) -> Plan {
    let base = |extra: &[&str]| {
        let mut argv = vec![sqlite3.to_string(), "-bail".into(), "-batch".into(), "-init".into(), "/dev/null".into()];
        argv.extend(extra.iter().map(|a| a.to_string()));
        Cmd::new(argv)
    };
    Plan {
        source_name: SQL_QUERY_FILE.into(),
        compile: None,
        setup: Some(base(&["-cmd", ".open --new /work/case.db", "-cmd", ".read /work/setup.sql", ":memory:"])),
        run: base(&[
            "-deserialize",
            "-cmd",
            ".headers on",
            "-cmd",
            ".mode quote",
            "/work/case.db",
            ".read /work/main.sql",
        ]),
        reserves_address_space: false,
    }
}

/// Where a SQL job's query and the question's schema are written in the work dir.
pub(crate) const SQL_QUERY_FILE: &str = "main.sql";
pub(crate) const SQL_SCHEMA_FILE: &str = "setup.sql";

/// V8's heap may grow to the whole memory limit: running out is then the memory cgroup's
/// kill (`memory_limit`), never a message of the program's own that could be forged.
fn node_cmd(node: &str, mem_mb: u64) -> Cmd {
    Cmd::new([node.to_string(), format!("--max-old-space-size={mem_mb}"), "/work/main.js".into()])
}

/// Asks each available toolchain for its version (on the host, once).
pub(crate) fn probe_versions(tools: &Resolved) -> HashMap<Language, Result<String, String>> {
    let run = |argv: &[String]| -> Result<String, String> {
        let out = run_probe(argv)?;
        Ok(out)
    };
    let p = |k: &str| tools.path(k);
    let mut versions = HashMap::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = Language::ALL
            .into_iter()
            .filter(|l| tools.unavailable_reason(*l).is_none())
            .map(|lang| {
                let run = &run;
                let p = &p;
                s.spawn(move || {
                    let v = match lang {
                        Language::Python => {
                            run(&[p("python"), "--version".into()]).map(|o| strip_prefix_word(&o, "Python"))
                        }
                        Language::JavaScript => {
                            run(&[p("node"), "--version".into()]).map(|o| o.trim_start_matches('v').into())
                        }
                        Language::TypeScript => {
                            let esb = run(&[p("esbuild"), "--version".into()]);
                            let node = run(&[p("node"), "--version".into()]);
                            esb.and_then(|e| {
                                node.map(|n| {
                                    format!("esbuild {e} (types stripped), Node.js {}", n.trim_start_matches('v'))
                                })
                            })
                        }
                        Language::Java => run(&[p("java"), "-version".into()]).map(|o| java_version(&o)),
                        Language::C => run(&[p("gcc"), "-dumpfullversion".into()]).map(|v| format!("gcc {v}")),
                        Language::Cpp => run(&[p("gxx"), "-dumpfullversion".into()]).map(|v| format!("g++ {v}")),
                        Language::Rust => {
                            run(&[p("rustc"), "--version".into()]).map(|o| strip_prefix_word(&o, "rustc"))
                        }
                        Language::Go => run(&[p("go"), "version".into()])
                            .map(|o| o.split_whitespace().nth(2).unwrap_or(&o).trim_start_matches("go").into()),
                        Language::Ruby => run(&[p("ruby"), "--version".into()]).map(|o| strip_prefix_word(&o, "ruby")),
                        Language::Php => {
                            run(&[p("php"), "-n".into(), "--version".into()]).map(|o| strip_prefix_word(&o, "PHP"))
                        }
                        Language::CSharp => {
                            run(&[p("mono"), "--version".into()]).map(|o| format!("Mono {}", word_after_version(&o)))
                        }
                        Language::Bash => run(&[p("bash"), "--version".into()]).map(|o| word_after_version(&o)),
                        // `3.40.1 2022-12-28 14:03:47 df5c…`
                        Language::Sql => run(&[p("sqlite3"), "-version".into()])
                            .map(|o| format!("SQLite {}", o.split_whitespace().next().unwrap_or(&o))),
                    };
                    (lang, v)
                })
            })
            .collect();
        for h in handles {
            if let Ok((lang, v)) = h.join() {
                versions.insert(lang, v);
            }
        }
    });
    versions
}

fn strip_prefix_word(out: &str, word: &str) -> String {
    out.trim().trim_start_matches(word).split_whitespace().next().unwrap_or("").to_string()
}

/// The version number after the word `version`, without a build suffix: `5.2.15` from
/// `GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)`, `6.8.0.105` from
/// `Mono JIT compiler version 6.8.0.105 (Debian …)`.
fn word_after_version(out: &str) -> String {
    let mut words = out.split_whitespace().skip_while(|w| *w != "version");
    let word = words.nth(1).unwrap_or(out.trim());
    word.split(['(', '-']).next().unwrap_or(word).to_string()
}

fn java_version(out: &str) -> String {
    // `openjdk version "17.0.15" 2025-04-15`
    out.lines().next().and_then(|l| l.split('"').nth(1)).unwrap_or(out.trim()).to_string()
}

/// Runs a version probe with an empty environment and a time limit; stdout+stderr, first line.
fn run_probe(argv: &[String]) -> Result<String, String> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", "/nonexistent")
        .env("GOCACHE", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", argv[0]))?;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{} --version timed out", argv[0]));
            }
        }
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
    if first.is_empty() {
        return Err(format!("{} printed no version", argv[0]));
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for l in Language::ALL {
            assert_eq!(l.id().parse::<Language>().unwrap(), l);
        }
        assert!("cobol".parse::<Language>().is_err());
    }

    #[test]
    fn toolchains_must_be_visible_in_the_sandbox() {
        let usr = [PathBuf::from("/usr")];
        assert!(check_tool(Path::new("/usr/bin/gcc"), &usr).is_ok());
        assert!(check_tool(Path::new("/usr/bin/gcc"), &[PathBuf::from("/opt")]).is_err());
        let local = Path::new("/usr/local/bin/issues");
        if local.exists() {
            let err = check_tool(local, &usr).unwrap_err();
            assert!(err.contains("outside") || err.contains("not executable"), "{err}");
        }
    }

    #[test]
    fn java_version_is_read_from_the_banner() {
        assert_eq!(java_version("openjdk version \"17.0.15\" 2025-04-15"), "17.0.15");
    }

    #[test]
    fn versions_are_read_from_the_banners() {
        assert_eq!(word_after_version("GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)"), "5.2.15");
        assert_eq!(
            word_after_version("Mono JIT compiler version 6.8.0.105 (Debian 6.8.0.105+dfsg-3.3+deb12u1 Sat Jun 21)"),
            "6.8.0.105"
        );
        assert_eq!(
            strip_prefix_word("ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]", "ruby"),
            "3.1.2p20"
        );
        assert_eq!(strip_prefix_word("PHP 8.2.36 (cli) (built: Nov 18 2026 20:02:04) (NTS)", "PHP"), "8.2.36");
    }
}
