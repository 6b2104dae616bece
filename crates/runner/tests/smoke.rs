mod common;
use codeview_runner::*;
#[tokio::test]
async fn smoke() {
    let (r, cfg) = common::runner(0, "smoke").await;
    println!("{}", r.capabilities());
    for l in r.languages() {
        println!("{l:?}");
    }
    let o = common::run(
        &r,
        Language::Python,
        "import sys\nprint('hello', sys.stdin.read())",
        "abc",
    )
    .await;
    println!("{o:#?}");
    common::assert_host_clean(&cfg).await;
}
