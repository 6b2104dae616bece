//! Every language in the real sandbox: hello world, stdin echo, a compile (or syntax) error,
//! a runtime error, and test mode with a correct and a wrong solution. Java's class naming,
//! Rust's edition, C#'s libraries and the per-language versions are checked here too.

mod common;

use codeview_runner::{Job, Language, RunEvent, Runner, RunnerConfig, Status, Stream};
use common::{assert_status, exec, run};
use tokio::sync::OnceCell;

/// One runner for this binary (4 slots), shared by the per-language tests.
static RUNNER: OnceCell<(Runner, RunnerConfig)> = OnceCell::const_new();

async fn runner() -> &'static Runner {
    &RUNNER.get_or_init(|| common::runner(1, "languages")).await.0
}

struct Programs {
    hello: &'static str,
    echo: &'static str,
    compile_error: &'static str,
    runtime_error: &'static str,
    /// Reads two integers, prints their sum.
    sum: &'static str,
    /// Prints their difference instead.
    wrong_sum: &'static str,
}

fn programs(lang: Language) -> Programs {
    match lang {
        Language::Python => Programs {
            hello: "print('hello, world')",
            echo: "import sys\nsys.stdout.write(sys.stdin.read())",
            compile_error: "print('never')\nx = (\n",
            runtime_error: "print('before')\nraise ValueError('boom')",
            sum: "a, b = map(int, input().split())\nprint(a + b)",
            wrong_sum: "a, b = map(int, input().split())\nprint(a - b)",
        },
        Language::JavaScript => Programs {
            hello: "console.log('hello, world');",
            echo: "process.stdout.write(require('fs').readFileSync(0));",
            compile_error: "console.log('never');\nlet x = ;\n",
            runtime_error: "console.log('before');\nnull.boom();",
            sum: "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);",
            wrong_sum: "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a - b);",
        },
        Language::TypeScript => Programs {
            hello: "const greeting: string = 'hello, world';\nconsole.log(greeting);",
            echo: "import * as fs from 'fs';\nconst input: Buffer = fs.readFileSync(0);\nprocess.stdout.write(input);",
            compile_error: "const x: number = ;\n",
            runtime_error: "console.log('before');\nconst o: any = null;\no.boom();",
            sum: "import { readFileSync } from 'fs';\nconst [a, b]: number[] = readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);",
            wrong_sum: "import { readFileSync } from 'fs';\nconst [a, b]: number[] = readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a - b);",
        },
        Language::Java => Programs {
            hello: "public class Main {\n  public static void main(String[] args) {\n    System.out.println(\"hello, world\");\n  }\n}",
            echo: "import java.io.*;\npublic class Echo {\n  public static void main(String[] a) throws IOException {\n    System.out.write(System.in.readAllBytes());\n    System.out.flush();\n  }\n}",
            compile_error: "public class Main { public static void main(String[] a) { int x = \"s\"; } }",
            runtime_error: "public class Main { public static void main(String[] a) { System.out.println(\"before\"); int[] x = new int[1]; x[2] = 1; } }",
            sum: "import java.util.*;\npublic class Solution { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }",
            wrong_sum: "import java.util.*;\nclass Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() - s.nextLong()); } }",
        },
        Language::C => Programs {
            hello: "#include <stdio.h>\nint main(void) { puts(\"hello, world\"); return 0; }",
            echo: "#include <stdio.h>\nint main(void) { int c; while ((c = getchar()) != EOF) putchar(c); return 0; }",
            compile_error: "int main(void) { return undefined_name; }",
            runtime_error: "#include <stdio.h>\nint main(void) { puts(\"before\"); fflush(stdout); int *p = 0; *p = 1; return 0; }",
            sum: "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a + b); }",
            wrong_sum: "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a - b); }",
        },
        Language::Cpp => Programs {
            hello: "#include <iostream>\nint main() { std::cout << \"hello, world\" << std::endl; }",
            echo: "#include <iostream>\nint main() { std::cout << std::cin.rdbuf(); }",
            compile_error: "#include <vector>\nint main() { std::vector<int> v = 3.5; }",
            runtime_error: "#include <iostream>\n#include <stdexcept>\nint main() { std::cout << \"before\" << std::endl; throw std::runtime_error(\"boom\"); }",
            sum: "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }",
            wrong_sum: "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a - b << '\\n'; }",
        },
        Language::Rust => Programs {
            hello: "fn main() { println!(\"hello, world\"); }",
            echo: "use std::io::{Read, Write};\nfn main() { let mut s = Vec::new(); std::io::stdin().read_to_end(&mut s).unwrap(); std::io::stdout().write_all(&s).unwrap(); }",
            compile_error: "fn main() { let x: i32 = \"s\"; }",
            runtime_error: "fn main() { println!(\"before\"); let v: Vec<i32> = Vec::new(); println!(\"{}\", v[3]); }",
            sum: "fn main() { let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!(\"{}\", v[0] + v[1]); }",
            wrong_sum: "fn main() { let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!(\"{}\", v[0] - v[1]); }",
        },
        Language::Go => Programs {
            hello: "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello, world\") }",
            echo: "package main\nimport (\"io\"; \"os\")\nfunc main() { io.Copy(os.Stdout, os.Stdin) }",
            compile_error: "package main\nfunc main() { var x int = \"s\" }",
            runtime_error: "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"before\"); var m map[string]int; m[\"x\"] = 1 }",
            sum: "package main\nimport \"fmt\"\nfunc main() { var a, b int64; fmt.Scan(&a, &b); fmt.Println(a + b) }",
            wrong_sum: "package main\nimport \"fmt\"\nfunc main() { var a, b int64; fmt.Scan(&a, &b); fmt.Println(a - b) }",
        },
        Language::Ruby => Programs {
            hello: "puts 'hello, world'",
            echo: "$stdout.write($stdin.read)",
            compile_error: "puts 'never'\nx = (\n",
            runtime_error: "puts 'before'\nraise ArgumentError, 'boom'",
            sum: "a, b = $stdin.read.split.map(&:to_i)\nputs a + b",
            wrong_sum: "a, b = $stdin.read.split.map(&:to_i)\nputs a - b",
        },
        Language::Php => Programs {
            hello: "<?php\necho \"hello, world\\n\";",
            echo: "<?php\necho stream_get_contents(STDIN);",
            compile_error: "<?php\necho 'never';\n$x = ;\n",
            runtime_error: "<?php\necho \"before\\n\";\nthrow new RuntimeException('boom');",
            sum: "<?php\n[$a, $b] = array_map('intval', preg_split('/\\s+/', trim(stream_get_contents(STDIN))));\necho $a + $b, \"\\n\";",
            wrong_sum: "<?php\n[$a, $b] = array_map('intval', preg_split('/\\s+/', trim(stream_get_contents(STDIN))));\necho $a - $b, \"\\n\";",
        },
        Language::CSharp => Programs {
            hello: "using System;\nclass Program { static void Main() { Console.WriteLine(\"hello, world\"); } }",
            echo: "using System;\nusing System.IO;\nclass Echo { static void Main() { using (Stream i = Console.OpenStandardInput(), o = Console.OpenStandardOutput()) { i.CopyTo(o); } } }",
            compile_error: "class Program { static void Main() { int x = \"s\"; } }",
            runtime_error: "using System;\nclass Program { static void Main() { Console.WriteLine(\"before\"); int[] a = new int[1]; a[2] = 1; } }",
            sum: "using System;\nusing System.Linq;\nclass Program { static void Main() { long[] v = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray(); Console.WriteLine(v[0] + v[1]); } }",
            wrong_sum: "using System;\nusing System.Linq;\nclass Program { static void Main() { long[] v = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray(); Console.WriteLine(v[0] - v[1]); } }",
        },
        Language::Bash => Programs {
            hello: "echo 'hello, world'",
            echo: "cat",
            compile_error: "echo never\nif then fi\n",
            runtime_error: "echo before\nno_such_command_here",
            sum: "read -r a b\necho $((a + b))",
            wrong_sum: "read -r a b\necho $((a - b))",
        },
        // Its stdin is seed data and its output a table: `tests/sql.rs` checks it.
        Language::Sql => unreachable!("SQL has its own tests"),
    }
}

async fn check_language(lang: Language) {
    let r = runner().await;
    let info = r.languages().into_iter().find(|l| l.id == lang.id()).unwrap();
    assert!(info.available, "{lang} must be available here: {:?}", info.reason);
    assert!(!info.version.is_empty(), "{lang} has no version");
    let p = programs(lang);

    let o = run(r, lang, p.hello, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "hello, world\n");
    assert_eq!(o.cases[0].step.exit_code, Some(0));
    assert!(o.cases[0].step.memory_kb.is_some_and(|m| m > 0));

    let input = "line one\nzwei ünïcødé ✓\n\nlast line without newline";
    let o = run(r, lang, p.echo, input).await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, input);

    let o = run(r, lang, p.compile_error, "").await;
    // Interpreters that parse the whole program before running any of it. (bash runs a
    // script line by line, so its syntax check is a compile step.)
    let interpreted = matches!(lang, Language::Python | Language::JavaScript | Language::Ruby | Language::Php);
    if !interpreted {
        assert_status(&o, Status::CompileError);
        assert!(o.message.as_deref().is_some_and(|m| !m.is_empty()), "no compiler message: {o:#?}");
        assert!(o.cases.is_empty(), "nothing may run: {o:#?}");
    } else {
        // No compile step: the interpreter's syntax error is the run's own runtime error
        // (a verdict never comes from what a program prints).
        assert_status(&o, Status::RuntimeError);
        assert!(o.cases[0].step.stderr.to_lowercase().contains("syntax"), "{o:#?}");
        assert!(o.cases[0].step.stdout.is_empty(), "nothing may run: {o:#?}");
    }

    let o = run(r, lang, p.runtime_error, "").await;
    assert_status(&o, Status::RuntimeError);
    let step = &o.cases[0].step;
    assert!(step.stdout.starts_with("before"), "output before the crash is kept: {o:#?}");
    assert!(step.exit_code.is_some_and(|c| c != 0) || step.signal.is_some(), "{o:#?}");
    assert!(!step.stderr.is_empty() || step.signal.is_some(), "{o:#?}");

    let cases = vec![(b"1 2\n".to_vec(), "3\n".to_string()), (b"40 2".to_vec(), "42".to_string())];
    let (o, events) = exec(r, Job::test(lang, p.sum, cases.clone())).await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.all_passed, Some(true), "{o:#?}");
    assert_eq!(o.cases.len(), 2);
    let finished: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::CaseFinished { case, passed: Some(true), .. } => Some(*case),
            _ => None,
        })
        .collect();
    assert_eq!(finished, [0, 1]);

    let (o, _) = exec(r, Job::test(lang, p.wrong_sum, cases)).await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.all_passed, Some(false));
    assert!(o.cases.iter().all(|c| c.passed == Some(false)), "{o:#?}");
}

#[tokio::test]
async fn python() {
    check_language(Language::Python).await;
}

#[tokio::test]
async fn javascript() {
    check_language(Language::JavaScript).await;
}

#[tokio::test]
async fn typescript() {
    check_language(Language::TypeScript).await;
}

#[tokio::test]
async fn java() {
    check_language(Language::Java).await;
}

#[tokio::test]
async fn c() {
    check_language(Language::C).await;
}

#[tokio::test]
async fn cpp() {
    check_language(Language::Cpp).await;
}

#[tokio::test]
async fn rust() {
    check_language(Language::Rust).await;
}

#[tokio::test]
async fn go() {
    check_language(Language::Go).await;
}

#[tokio::test]
async fn ruby() {
    check_language(Language::Ruby).await;
}

#[tokio::test]
async fn php() {
    check_language(Language::Php).await;
}

#[tokio::test]
async fn csharp() {
    check_language(Language::CSharp).await;
}

#[tokio::test]
async fn bash() {
    check_language(Language::Bash).await;
}

/// What `/api/languages` shows: every language, in order, available, with its version.
#[tokio::test]
async fn every_language_is_listed_available_with_its_version() {
    let infos = runner().await.languages();
    let listed: Vec<&str> = infos.iter().map(|l| l.id.as_str()).collect();
    let all: Vec<&str> = Language::ALL.iter().map(|l| l.id()).collect();
    assert_eq!(listed, all);
    for info in &infos {
        assert!(info.available, "{}: {:?}", info.id, info.reason);
        assert!(info.version.chars().any(|c| c.is_ascii_digit()), "{}: version {:?}", info.id, info.version);
    }
}

#[tokio::test]
async fn rust_is_edition_2024() {
    let r = runner().await;
    // `let` chains exist only in edition 2024 (Rust 1.88+).
    let src = "fn main() {\n    let v: Option<i32> = \"42\".parse().ok();\n    if let Some(x) = v && x > 0 {\n        println!(\"{x}\");\n    }\n    let Some(y) = v else { return };\n    println!(\"{}\", y + 1);\n}";
    let o = run(r, Language::Rust, src, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "42\n43\n");
}

#[tokio::test]
async fn csharp_has_linq_and_the_generic_collections() {
    let r = runner().await;
    let src = "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Numerics;\n\npublic class Program\n{\n    public static void Main()\n    {\n        var counts = new Dictionary<string, int>();\n        foreach (var word in Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries))\n        {\n            counts[word] = counts.TryGetValue(word, out var c) ? c + 1 : 1;\n        }\n        var queue = new Queue<string>(counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key + \"=\" + p.Value));\n        var seen = new HashSet<int> { 1, 2, 2 };\n        Console.WriteLine(string.Join(\" \", queue) + \" \" + seen.Count + \" \" + BigInteger.Pow(2, 70));\n    }\n}";
    let o = run(r, Language::CSharp, src, "b a b c b a").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "b=3 a=2 c=1 2 1180591620717411303424\n");
}

#[tokio::test]
async fn java_without_a_public_class_and_with_a_package_runs() {
    let r = runner().await;
    let src = "package interview;\nclass Helper { static int twice(int x) { return 2 * x; } }\nclass Program { public static void main(String[] a) { System.out.println(Helper.twice(21)); } }";
    let o = run(r, Language::Java, src, "").await;
    assert_status(&o, Status::Finished);
    assert_eq!(o.cases[0].step.stdout, "42\n");
}

#[tokio::test]
async fn output_streams_live_in_order_with_streams_distinguished() {
    let r = runner().await;
    let src = "import sys, time\nfor i in range(3):\n    print(f'out {i}', flush=True)\n    print(f'err {i}', file=sys.stderr, flush=True)\n    time.sleep(0.05)";
    let (o, events) = exec(r, Job::run(Language::Python, src, Vec::new())).await;
    assert_status(&o, Status::Finished);
    let mut out = String::new();
    let mut err = String::new();
    for e in &events {
        if let RunEvent::Output { case, stream, text } = e {
            assert_eq!(*case, Some(0));
            match stream {
                Stream::Stdout => out.push_str(text),
                Stream::Stderr => err.push_str(text),
            }
        }
    }
    assert_eq!(out, "out 0\nout 1\nout 2\n");
    assert_eq!(err, "err 0\nerr 1\nerr 2\n");
    assert!(matches!(events.first(), Some(RunEvent::CaseStarted { case: 0 })));
    assert!(matches!(events.last(), Some(RunEvent::CaseFinished { case: 0, .. })));
    let outputs = events.iter().filter(|e| matches!(e, RunEvent::Output { .. })).count();
    assert!(outputs >= 6, "each flushed line arrives as its own event, live: {events:?}");
}

#[tokio::test]
async fn compile_output_is_streamed_without_a_case() {
    let r = runner().await;
    let (o, events) = exec(r, Job::run(Language::C, "int main(void) { return nope; }", Vec::new())).await;
    assert_status(&o, Status::CompileError);
    assert!(matches!(events.first(), Some(RunEvent::CompileStarted)));
    assert!(events.iter().any(|e| matches!(e, RunEvent::Output { case: None, stream: Stream::Stderr, .. })));
    assert!(events.iter().any(|e| matches!(e, RunEvent::CompileFinished { status: Status::CompileError })));
    assert!(o.message.unwrap().contains("nope"));
}

#[tokio::test]
async fn unknown_and_oversized_jobs_are_refused() {
    let r = runner().await;
    let (tx, _rx) = tokio::sync::mpsc::channel(1);
    let big = "#".repeat(300 * 1024);
    assert!(r.execute(Job::run(Language::Python, big, Vec::new()), tx.clone()).await.is_err());
    let mut none = Job::run(Language::Python, "print(1)", Vec::new());
    none.cases.clear();
    assert!(r.execute(none, tx).await.is_err());
}
