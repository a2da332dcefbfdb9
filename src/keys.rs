//! Single keypresses from the terminal on stdin, for watch mode's offer to move on: while a
//! [`Keys`] lives the terminal is out of line mode (a key arrives without Enter) and does not
//! echo; it is put back as it was when the `Keys` is dropped. Signals stay on, so Ctrl-C still
//! interrupts. Reading never waits: [`Keys::pressed`] polls.
//!
//! This uses the terminal interface directly (termios through `nix`, already a dependency)
//! rather than a terminal crate: one mode change and a non-blocking read are all it needs.

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::termios::{self, LocalFlags, SetArg, SpecialCharacterIndices, Termios};
use std::io::IsTerminal;
use std::os::fd::AsFd;

pub struct Keys {
    /// The terminal's mode before, restored on drop.
    saved: Termios,
}

impl Keys {
    /// Takes keypresses from stdin; `None` unless stdin is a terminal and kata is in its
    /// foreground (a background job changing the terminal's mode would be stopped by it).
    pub fn open() -> Option<Keys> {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return None;
        }
        let foreground = nix::unistd::tcgetpgrp(stdin.as_fd()).ok()? == nix::unistd::getpgrp();
        if !foreground {
            return None;
        }
        let saved = termios::tcgetattr(stdin.as_fd()).ok()?;
        let mut keys = saved.clone();
        keys.local_flags
            .remove(LocalFlags::ICANON | LocalFlags::ECHO);
        keys.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
        keys.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
        termios::tcsetattr(stdin.as_fd(), SetArg::TCSANOW, &keys).ok()?;
        Some(Keys { saved })
    }

    /// The keys pressed since the last call (typed-ahead ones included), without waiting.
    pub fn pressed(&self) -> Vec<u8> {
        let stdin = std::io::stdin();
        let mut keys = Vec::new();
        let mut buf = [0u8; 64];
        // A bounded loop: a terminal that stays readable forever (a hang-up) ends it too.
        for _ in 0..16 {
            let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
            let ready = poll(&mut fds, PollTimeout::ZERO).unwrap_or(0) > 0
                && fds[0]
                    .revents()
                    .is_some_and(|r| r.contains(PollFlags::POLLIN));
            if !ready {
                break;
            }
            match nix::unistd::read(stdin.as_fd(), &mut buf) {
                Ok(n) if n > 0 => keys.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        keys
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &self.saved);
    }
}
