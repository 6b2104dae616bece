//! The pseudo-terminal of an interactive step. The slave end is the sandbox's stdin, stdout
//! and stderr, so programs see a terminal and flush their output line by line (through pipes
//! Python and C buffer it in blocks, and a prompt would never show); the runner keeps the
//! master end. Nothing is echoed by the terminal itself: in line mode the server shows what
//! was typed, in raw mode only the program may echo. Line mode is canonical (the kernel hands
//! the program whole lines, and VEOF at the start of a line is end of input); raw mode hands
//! over every byte as it comes. Output's "\n" becomes "\r\n", as on any terminal. Flow
//! control (^S/^Q) and signal characters are off: an interrupt is a signal the runner sends.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::process::Stdio;

use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::pty::{Winsize, openpty};
use nix::sys::termios::{
    FlushArg, InputFlags, LocalFlags, OutputFlags, SetArg, SpecialCharacterIndices, tcflush, tcgetattr, tcsetattr,
};

use crate::interactive::TerminalMode;

/// The size the program is told (xterm.js's default).
const COLUMNS: u16 = 80;
const ROWS: u16 = 24;

/// A pseudo-terminal pair; the slave is handed to the sandbox and closed here after the spawn.
pub(crate) struct Pty {
    /// Non-blocking, close-on-exec.
    pub master: OwnedFd,
    pub slave: Option<OwnedFd>,
}

impl Pty {
    pub fn open(mode: TerminalMode) -> io::Result<Pty> {
        let size = Winsize { ws_row: ROWS, ws_col: COLUMNS, ws_xpixel: 0, ws_ypixel: 0 };
        let pair = openpty(&size, None)?;
        for fd in [&pair.master, &pair.slave] {
            fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))?;
        }
        fcntl(&pair.master, FcntlArg::F_SETFL(OFlag::O_NONBLOCK))?;
        let mut t = tcgetattr(&pair.slave)?;
        t.input_flags.remove(InputFlags::IXON | InputFlags::IXOFF | InputFlags::IXANY);
        t.input_flags.insert(InputFlags::ICRNL | InputFlags::IUTF8);
        t.output_flags.insert(OutputFlags::OPOST | OutputFlags::ONLCR);
        t.local_flags.remove(
            LocalFlags::ECHO
                | LocalFlags::ECHOE
                | LocalFlags::ECHOK
                | LocalFlags::ECHONL
                | LocalFlags::ECHOCTL
                | LocalFlags::ECHOKE
                | LocalFlags::ISIG
                | LocalFlags::IEXTEN,
        );
        match mode {
            TerminalMode::Line => t.local_flags.insert(LocalFlags::ICANON),
            TerminalMode::Raw => {
                t.local_flags.remove(LocalFlags::ICANON);
                t.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
                t.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
            }
        }
        tcsetattr(&pair.slave, SetArg::TCSANOW, &t)?;
        Ok(Pty { master: pair.master, slave: Some(pair.slave) })
    }

    /// The slave as the three standard streams of the sandbox.
    pub fn slave_stdio(&self) -> io::Result<(Stdio, Stdio, Stdio)> {
        let slave = self.slave.as_ref().ok_or_else(|| io::Error::other("the terminal's slave is already closed"))?;
        Ok((slave.try_clone()?.into(), slave.try_clone()?.into(), slave.try_clone()?.into()))
    }
}

/// What to write for end of input, given the last byte written before: in canonical mode VEOF
/// at the start of a line (a second one when a partial line must be pushed out first); when
/// the program turned canonical mode off, the EOT byte a terminal sends for Ctrl+D, which the
/// program reads like any key.
pub(crate) fn end_of_input(master: impl AsFd, last_written: Option<u8>) -> Vec<u8> {
    let Ok(t) = tcgetattr(master) else { return vec![0x04] };
    if !t.local_flags.contains(LocalFlags::ICANON) {
        return vec![0x04];
    }
    let eof = t.control_chars[SpecialCharacterIndices::VEOF as usize];
    match last_written {
        None | Some(b'\n' | b'\r') => vec![eof],
        Some(b) if b == eof => vec![eof],
        Some(_) => vec![eof, eof],
    }
}

/// Drops input the program has not read yet (as a terminal does on an interrupt).
pub(crate) fn discard_unread_input(master: impl AsFd) {
    let _ = tcflush(master, FlushArg::TCIFLUSH);
}
