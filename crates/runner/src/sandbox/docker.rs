//! The optional Docker backend: each step is one `docker run` with the hardening flags (no
//! network, no capabilities, no new privileges, read-only root, pids/memory/cpu limits, a
//! non-root user, a capped tmpfs /tmp, the job dir bound at /work). No engine exists on the
//! development machines, so only the command line is tested; see docs/runner.md.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};

use super::bwrap::internal_error;
use super::process::{Measured, classify, drive, stdin_memfd};
use super::workdir::JobDir;
use super::{Backend, Isolation, SandboxCapabilities, StepFuture, StepSpec};
use crate::config::DockerConfig;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::outcome::{StepOutcome, TimeKind};

pub(crate) struct DockerBackend {
    cfg: DockerConfig,
    work_root: PathBuf,
    caps: SandboxCapabilities,
    counter: AtomicU64,
}

impl DockerBackend {
    pub fn new(cfg: DockerConfig, work_root: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(&work_root).map_err(|e| Error::io(format!("creating {}", work_root.display()), e))?;
        Ok(DockerBackend {
            cfg,
            work_root,
            caps: SandboxCapabilities {
                backend: "docker",
                isolation: Isolation::Container,
                slot_uids: false,
                cgroups: true,
                seccomp: true,
                namespaces: true,
                capped_tmpfs: true,
                time_kind: TimeKind::Wall,
                notes: vec!["Docker backend: time is wall-clock, memory is not measured".into()],
            },
            counter: AtomicU64::new(0),
        })
    }

    async fn step(&self, job: &JobDir, slot: usize, spec: StepSpec<'_>) -> StepOutcome {
        job.seal();
        let name =
            format!("codeview-run-{}-{slot}-{}", std::process::id(), self.counter.fetch_add(1, Ordering::Relaxed));
        let stdin = match stdin_memfd(spec.stdin) {
            Ok(fd) => fd,
            Err(e) => {
                return internal_error(format!("preparing stdin failed: {e}"), TimeKind::Wall);
            }
        };
        let args = docker_args(&self.cfg, &name, job.path(), &spec);
        let child = tokio::process::Command::new(&self.cfg.docker_bin)
            .args(&args)
            .stdin(Stdio::from(stdin))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => {
                return internal_error(format!("starting docker failed: {e}"), TimeKind::Wall);
            }
        };
        let docker = self.cfg.docker_bin.clone();
        let kill_name = name.clone();
        let kill = move || {
            // Fire and forget: `docker kill` returns once the engine has the request.
            // tokio reaps it in the background.
            let _ = tokio::process::Command::new(&docker)
                .args(["kill", &kill_name])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
        };
        let no_cpu = || None;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return internal_error("docker started without output pipes".into(), TimeKind::Wall);
        };
        let driven = drive(stdout, stderr, child.wait(), spec.limits, spec.case, spec.events, &kill, &no_cpu).await;
        let oom = tokio::process::Command::new(&self.cfg.docker_bin)
            .args(["inspect", "--format", "{{.State.OOMKilled}}", &name])
            .output()
            .await
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
            .unwrap_or(false);
        let _ = tokio::process::Command::new(&self.cfg.docker_bin).args(["rm", "-f", &name]).output().await;
        let measured = Measured { oom_killed: oom, ..Measured::default() };
        classify(driven, measured, spec.limits, TimeKind::Wall)
    }
}

/// The `docker run` command line for one step.
pub(crate) fn docker_args(cfg: &DockerConfig, name: &str, work_dir: &Path, spec: &StepSpec<'_>) -> Vec<OsString> {
    let l: &Limits = spec.limits;
    let mut v: Vec<String> = vec![
        "run".into(),
        "--name".into(),
        name.into(),
        "-i".into(),
        "--network".into(),
        "none".into(),
        "--cap-drop".into(),
        "ALL".into(),
        "--security-opt".into(),
        "no-new-privileges".into(),
        "--read-only".into(),
        "--ipc".into(),
        "none".into(),
        "--user".into(),
        cfg.user.clone(),
        "--pids-limit".into(),
        l.processes.to_string(),
        "--memory".into(),
        l.memory_bytes.to_string(),
        "--memory-swap".into(),
        l.memory_bytes.to_string(),
        "--cpus".into(),
        "1".into(),
        "--ulimit".into(),
        format!("fsize={0}:{0}", l.file_bytes),
        "--ulimit".into(),
        format!("nofile={0}:{0}", l.open_files),
        "--ulimit".into(),
        "core=0:0".into(),
        "--ulimit".into(),
        format!("cpu={}:{}", l.rlimit_cpu_secs(), l.rlimit_cpu_secs() + 1),
        "--tmpfs".into(),
        format!("/tmp:rw,nosuid,nodev,size={},nr_inodes={},mode=1777", l.disk_bytes, l.disk_inodes),
        "--volume".into(),
        format!("{}:/work:{}", work_dir.display(), if spec.work_writable { "rw" } else { "ro" }),
        "--workdir".into(),
        "/work".into(),
        "--env".into(),
        "PATH=/usr/bin:/bin".into(),
        "--env".into(),
        "HOME=/tmp".into(),
        "--env".into(),
        "TMPDIR=/tmp".into(),
        "--env".into(),
        "LANG=C.UTF-8".into(),
    ];
    for (k, val) in &spec.cmd.env {
        v.push("--env".into());
        v.push(format!("{k}={val}"));
    }
    v.push(cfg.image.clone());
    v.extend(spec.cmd.argv.iter().cloned());
    v.into_iter().map(OsString::from).collect()
}

impl Backend for DockerBackend {
    fn capabilities(&self) -> &SandboxCapabilities {
        &self.caps
    }

    fn prepare_job(&self, slot: usize) -> Result<JobDir> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.work_root.join(format!(
            "docker-{}-{slot}-{}",
            std::process::id(),
            self.counter.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).map_err(|e| Error::io("creating the job dir", e))?;
        // The container's user is not the server's: let it write during the compile step.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777))
            .map_err(|e| Error::io("chmod job dir", e))?;
        Ok(JobDir::plain(path))
    }

    fn run_step<'a>(&'a self, job: &'a JobDir, slot: usize, spec: StepSpec<'a>) -> StepFuture<'a> {
        Box::pin(self.step(job, slot, spec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Cmd;

    fn argv(writable: bool) -> Vec<String> {
        let (tx, _rx) = tokio::sync::mpsc::channel(1);
        let cmd = Cmd {
            argv: vec!["/usr/bin/python3".into(), "/work/main.py".into()],
            env: vec![("GOCACHE".into(), "/tmp/go".into())],
        };
        let limits = Limits::default();
        let spec = StepSpec {
            cmd: &cmd,
            limits: &limits,
            stdin: b"",
            work_writable: writable,
            reserves_address_space: false,
            case: Some(0),
            events: &tx,
        };
        docker_args(&DockerConfig::default(), "run-1", Path::new("/srv/jobs/j1"), &spec)
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect()
    }

    fn has_seq(v: &[String], seq: &[&str]) -> bool {
        v.windows(seq.len()).any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
    }

    #[test]
    fn hardening_flags_are_all_present() {
        let v = argv(false);
        assert!(has_seq(&v, &["--network", "none"]));
        assert!(has_seq(&v, &["--cap-drop", "ALL"]));
        assert!(has_seq(&v, &["--security-opt", "no-new-privileges"]));
        assert!(v.contains(&"--read-only".to_string()));
        assert!(has_seq(&v, &["--user", "65534:65534"]));
        assert!(has_seq(&v, &["--pids-limit", "64"]));
        assert!(has_seq(&v, &["--memory", "268435456", "--memory-swap", "268435456"]));
        assert!(has_seq(&v, &["--cpus", "1"]));
        assert!(has_seq(&v, &["--ulimit", "fsize=16777216:16777216"]));
    }

    #[test]
    fn work_dir_is_read_only_for_runs_and_tmp_is_capped() {
        assert!(has_seq(&argv(false), &["--volume", "/srv/jobs/j1:/work:ro"]));
        assert!(has_seq(&argv(true), &["--volume", "/srv/jobs/j1:/work:rw"]));
        assert!(argv(false).iter().any(|a| a.starts_with("/tmp:rw,nosuid,nodev,size=33554432,nr_inodes=2048")));
    }

    #[test]
    fn image_comes_right_before_the_program() {
        let v = argv(false);
        assert!(has_seq(
            &v,
            &["--env", "GOCACHE=/tmp/go", "codeview-runner:latest", "/usr/bin/python3", "/work/main.py"]
        ));
        assert!(!v.iter().any(|a| a == "--privileged"));
    }
}
