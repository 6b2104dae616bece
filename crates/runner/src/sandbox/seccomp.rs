//! The seccomp filter every sandboxed program runs under, compiled once to classic BPF and
//! handed to bwrap (`--seccomp FD`). It denies what a judge never needs and what breaks out of
//! or attacks a namespace sandbox: nested namespaces, mounts, keyrings, bpf, perf, ptrace,
//! io_uring, userfaultfd, kernel modules, handle-based opens, terminal injection, and every
//! socket family but local and IP ones.
//!
//! The rules are built with `seccompiler`; a hand-written prologue in front of them kills a
//! foreign architecture, refuses the x32 syscall numbers (which would otherwise bypass every
//! rule keyed on the x86-64 numbers) and answers `clone3` with ENOSYS, the one errno glibc
//! and Go accept as "fall back to clone", whose flags the rules can inspect.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule, TargetArch,
};

const AUDIT_ARCH_X86_64: u32 = 62 | 0x8000_0000 | 0x4000_0000;
const X32_SYSCALL_BIT: u32 = 0x4000_0000;
const RET_KILL_PROCESS: u32 = 0x8000_0000;
const RET_ERRNO: u32 = 0x0005_0000;
const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JMP_JEQ_K: u16 = 0x15;
const BPF_JMP_JGE_K: u16 = 0x35;
const BPF_RET_K: u16 = 0x06;

/// Syscalls refused outright with EPERM.
const DENIED: &[libc::c_long] = &[
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_userfaultfd,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_reboot,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_syslog,
    libc::SYS_acct,
    libc::SYS_quotactl,
    libc::SYS_name_to_handle_at,
    libc::SYS_open_by_handle_at,
    libc::SYS_fanotify_init,
    libc::SYS_iopl,
    libc::SYS_ioperm,
    libc::SYS_vhangup,
];

/// The socket families a program may use: local sockets and IP (which the empty network
/// namespace confines to its own loopback). The others reach past that namespace (`AF_VSOCK`
/// talks to the VM host), or expose kernel interfaces no judge needs (`AF_NETLINK`,
/// `AF_PACKET`, `AF_ALG`, Bluetooth…); no runtime of ours needs them.
const ALLOWED_SOCKET_FAMILIES: &[u64] = &[libc::AF_UNIX as u64, libc::AF_INET as u64, libc::AF_INET6 as u64];

/// `clone` flags that create namespaces.
const CLONE_NAMESPACE_FLAGS: &[u64] = &[
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWCGROUP as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    0x80, // CLONE_NEWTIME
];

/// The filter as the raw `struct sock_filter` array bwrap reads from its `--seccomp` fd.
pub(crate) fn program_bytes() -> Result<Vec<u8>, String> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = DENIED.iter().map(|&nr| (nr, Vec::new())).collect();
    let cond = |idx: u8, op: SeccompCmpOp, v: u64| {
        SeccompCondition::new(idx, SeccompCmpArgLen::Qword, op, v).map_err(|e| e.to_string())
    };
    let mut clone_rules = Vec::new();
    for &flag in CLONE_NAMESPACE_FLAGS {
        clone_rules
            .push(SeccompRule::new(vec![cond(0, SeccompCmpOp::MaskedEq(flag), flag)?]).map_err(|e| e.to_string())?);
    }
    rules.insert(libc::SYS_clone, clone_rules);
    // One rule whose conditions all hold: the family (an int: its low 32 bits) is none of the
    // allowed ones.
    let foreign_family = || -> Result<SeccompRule, String> {
        let conds = ALLOWED_SOCKET_FAMILIES
            .iter()
            .map(|&f| SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, f).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        SeccompRule::new(conds).map_err(|e| e.to_string())
    };
    rules.insert(libc::SYS_socket, vec![foreign_family()?]);
    rules.insert(libc::SYS_socketpair, vec![foreign_family()?]);
    // TIOCSTI pushes input into the controlling terminal.
    rules.insert(
        libc::SYS_ioctl,
        vec![
            SeccompRule::new(vec![cond(1, SeccompCmpOp::MaskedEq(0xffff_ffff), libc::TIOCSTI)?])
                .map_err(|e| e.to_string())?,
        ],
    );
    let filter =
        SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Errno(libc::EPERM as u32), TargetArch::x86_64)
            .map_err(|e| e.to_string())?;
    let body: BpfProgram = filter.try_into().map_err(|e: seccompiler::BackendError| e.to_string())?;

    let prologue: [(u16, u8, u8, u32); 8] = [
        (BPF_LD_W_ABS, 0, 0, 4), // seccomp_data.arch
        (BPF_JMP_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        (BPF_RET_K, 0, 0, RET_KILL_PROCESS),
        (BPF_LD_W_ABS, 0, 0, 0), // seccomp_data.nr
        (BPF_JMP_JGE_K, 0, 1, X32_SYSCALL_BIT),
        (BPF_RET_K, 0, 0, RET_ERRNO | libc::ENOSYS as u32),
        (BPF_JMP_JEQ_K, 0, 1, libc::SYS_clone3 as u32),
        (BPF_RET_K, 0, 0, RET_ERRNO | libc::ENOSYS as u32),
    ];
    let mut bytes = Vec::with_capacity((prologue.len() + body.len()) * 8);
    let mut push = |code: u16, jt: u8, jf: u8, k: u32| {
        bytes.extend_from_slice(&code.to_ne_bytes());
        bytes.push(jt);
        bytes.push(jf);
        bytes.extend_from_slice(&k.to_ne_bytes());
    };
    for (code, jt, jf, k) in prologue {
        push(code, jt, jf, k);
    }
    for ins in body {
        push(ins.code, ins.jt, ins.jf, ins.k);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_is_whole_instructions_and_starts_with_the_arch_check() {
        let bytes = program_bytes().unwrap();
        assert_eq!(bytes.len() % 8, 0);
        assert!(bytes.len() / 8 > DENIED.len());
        assert!(bytes.len() / 8 < 4096, "BPF programs are limited to 4096 instructions");
        assert_eq!(u32::from_ne_bytes(bytes[4..8].try_into().unwrap()), 4);
        assert_eq!(u32::from_ne_bytes(bytes[12..16].try_into().unwrap()), AUDIT_ARCH_X86_64);
    }
}
