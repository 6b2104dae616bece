//! What a program can reach or learn about the host beyond its namespaces: only local and IP
//! sockets can be created (no `AF_VSOCK` to the VM host, no netlink, no raw packets), and the
//! mount tables it can read name no host path of its run.

mod common;

use codeview_runner::{Language, Status};
use common::{assert_host_clean, assert_status, run};

/// Tries each family with `socket` and `socketpair` and prints `name:socket:socketpair` with
/// `ok` or the errno's name.
const SOCKET_PROBE: &str = r#"
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
static const char *try_socket(int family, int type) {
    int fd = socket(family, type, 0);
    if (fd < 0) return strerrorname_np(errno);
    close(fd);
    return "ok";
}
static const char *try_pair(int family, int type) {
    int sv[2];
    if (socketpair(family, type, 0, sv) < 0) return strerrorname_np(errno);
    close(sv[0]);
    close(sv[1]);
    return "ok";
}
int main(void) {
    struct { const char *name; int family; int type; } f[] = {
        {"unix", AF_UNIX, SOCK_STREAM}, {"inet", AF_INET, SOCK_STREAM}, {"inet6", AF_INET6, SOCK_DGRAM},
        {"vsock", AF_VSOCK, SOCK_STREAM}, {"packet", AF_PACKET, SOCK_RAW}, {"netlink", AF_NETLINK, SOCK_RAW},
        {"alg", AF_ALG, SOCK_SEQPACKET},
    };
    for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++)
        printf("%s:%s:%s\n", f[i].name, try_socket(f[i].family, f[i].type), try_pair(f[i].family, f[i].type));
    /* The family is an int: high bits in the register must not smuggle a family through. */
    long fd = syscall(41 /* socket */, 0x100000000L | AF_VSOCK, SOCK_STREAM, 0);
    printf("vsock-high-bits:%s\n", fd < 0 ? strerrorname_np(errno) : "ok");
    return 0;
}
"#;

#[tokio::test]
async fn only_local_and_ip_sockets_can_be_created() {
    let (r, cfg) = common::runner(34, "sockets").await;
    let o = run(&r, Language::C, SOCKET_PROBE, "").await;
    assert_status(&o, Status::Finished);
    let lines: Vec<&str> = o.cases[0].step.stdout.lines().collect();
    // socketpair is only defined for local sockets; the point is that it is not EPERM.
    assert_eq!(
        lines,
        [
            "unix:ok:ok",
            "inet:ok:EOPNOTSUPP",
            "inet6:ok:EOPNOTSUPP",
            "vsock:EPERM:EPERM",
            "packet:EPERM:EPERM",
            "netlink:EPERM:EPERM",
            "alg:EPERM:EPERM",
            "vsock-high-bits:EPERM",
        ],
        "{o:#?}"
    );
    assert_host_clean(&cfg).await;
}

#[tokio::test]
async fn mount_tables_name_no_host_path_of_the_run() {
    let (r, cfg) = common::runner(35, "mountinfo").await;
    let src = "for f in ['/proc/self/mountinfo', '/proc/self/mounts', '/proc/self/mountstats', '/proc/self/cgroup', '/proc/1/mountinfo']:\n    print(open(f).read())";
    let o = run(&r, Language::Python, src, "").await;
    assert_status(&o, Status::Finished);
    let seen = &o.cases[0].step.stdout;
    assert!(seen.contains(" /work "), "the work dir is listed, under its sandbox name: {seen}");
    let work_root = cfg.work_root.to_string_lossy();
    let run_dir_prefix = format!("p{}-s", std::process::id());
    for host_detail in [work_root.as_ref(), "codeview-runner", run_dir_prefix.as_str(), "/run/"] {
        assert!(!seen.contains(host_detail), "{host_detail:?} is visible in the sandbox:\n{seen}");
    }
    assert_host_clean(&cfg).await;
}
