//! A small line editor for a terminal stdin, standing in for the readline of upstream's
//! `read -e`: the prompt and the echo go to stderr, the usual emacs keys edit the line, the
//! arrows walk the history, Tab inserts itself (upstream turns completion off), Ctrl-D on an
//! empty line ends input. A line wider than the terminal scrolls sideways instead of
//! wrapping.

use std::io::{self, Write};

use nix::errno::Errno;
use nix::sys::termios::{self, InputFlags, LocalFlags, SetArg, SpecialCharacterIndices, Termios};

pub const PROMPT: &str = "dokku> ";
const PROMPT_WIDTH: usize = 7;

/// Raw mode on stdin for as long as it lives. Signals stay on (Ctrl-C is the caller's).
struct RawMode {
    saved: Termios,
}

impl RawMode {
    fn enter() -> io::Result<RawMode> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(&stdin)?;
        let mut raw = saved.clone();
        raw.local_flags
            .remove(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::IEXTEN);
        raw.input_flags
            .remove(InputFlags::ICRNL | InputFlags::INLCR);
        raw.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
        raw.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
        termios::tcsetattr(&stdin, SetArg::TCSADRAIN, &raw)?;
        Ok(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(io::stdin(), SetArg::TCSADRAIN, &self.saved);
    }
}

/// One byte from stdin; `None` at end of input or when the terminal is gone.
fn read_byte() -> io::Result<Option<u8>> {
    let mut byte = [0u8; 1];
    loop {
        match nix::unistd::read(0, &mut byte) {
            Ok(0) | Err(Errno::EIO) => return Ok(None),
            Ok(_) => return Ok(Some(byte[0])),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

fn out(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The terminal's width, 80 when it cannot be told.
fn columns() -> usize {
    let mut size = nix::libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    for fd in [2, 0] {
        // SAFETY: TIOCGWINSZ only writes a `winsize` into the struct we pass.
        let rc = unsafe { nix::libc::ioctl(fd, nix::libc::TIOCGWINSZ, &mut size) };
        if rc == 0 && size.ws_col > 0 {
            return usize::from(size.ws_col);
        }
    }
    80
}

/// How a character is shown: a Tab as one space.
fn shown(c: char) -> char {
    if c == '\t' {
        ' '
    } else {
        c
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

enum Key {
    Char(char),
    Enter,
    Eof,
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Up,
    Down,
    KillToEnd,
    KillToStart,
    KillWordBack,
    WordLeft,
    WordRight,
    ClearScreen,
    Ignore,
}

/// Decode the next key press; `None` at end of input.
fn next_key() -> io::Result<Option<Key>> {
    let Some(b) = read_byte()? else {
        return Ok(None);
    };
    let key = match b {
        b'\r' | b'\n' => Key::Enter,
        0x01 => Key::Home,
        0x02 => Key::Left,
        0x04 => Key::Eof,
        0x05 => Key::End,
        0x06 => Key::Right,
        0x08 | 0x7f => Key::Backspace,
        b'\t' => Key::Char('\t'),
        0x0b => Key::KillToEnd,
        0x0c => Key::ClearScreen,
        0x0e => Key::Down,
        0x10 => Key::Up,
        0x15 => Key::KillToStart,
        0x17 => Key::KillWordBack,
        0x1b => escape()?,
        0x00..=0x1f => Key::Ignore,
        _ => utf8(b)?,
    };
    Ok(Some(key))
}

/// A character starting with `lead`, its continuation bytes read from stdin.
fn utf8(lead: u8) -> io::Result<Key> {
    let len = match lead {
        0x20..=0x7e => return Ok(Key::Char(lead as char)),
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Ok(Key::Ignore),
    };
    let mut bytes = vec![lead];
    for _ in 1..len {
        match read_byte()? {
            Some(b) => bytes.push(b),
            None => return Ok(Key::Ignore),
        }
    }
    Ok(std::str::from_utf8(&bytes)
        .ok()
        .and_then(|s| s.chars().next())
        .map(Key::Char)
        .unwrap_or(Key::Ignore))
}

/// The rest of an escape sequence (arrows, Home/End/Delete, Alt-b/f).
fn escape() -> io::Result<Key> {
    let Some(b) = read_byte()? else {
        return Ok(Key::Ignore);
    };
    match b {
        b'[' => {
            let mut params = String::new();
            loop {
                let Some(c) = read_byte()? else {
                    return Ok(Key::Ignore);
                };
                if (0x40..=0x7e).contains(&c) {
                    return Ok(match (c, params.as_str()) {
                        (b'A', _) => Key::Up,
                        (b'B', _) => Key::Down,
                        (b'C', _) => Key::Right,
                        (b'D', _) => Key::Left,
                        (b'H', _) => Key::Home,
                        (b'F', _) => Key::End,
                        (b'~', "1" | "7") => Key::Home,
                        (b'~', "4" | "8") => Key::End,
                        (b'~', "3") => Key::Delete,
                        _ => Key::Ignore,
                    });
                }
                params.push(c as char);
            }
        }
        b'O' => Ok(match read_byte()? {
            Some(b'A') => Key::Up,
            Some(b'B') => Key::Down,
            Some(b'C') => Key::Right,
            Some(b'D') => Key::Left,
            Some(b'H') => Key::Home,
            Some(b'F') => Key::End,
            _ => Key::Ignore,
        }),
        b'b' => Ok(Key::WordLeft),
        b'f' => Ok(Key::WordRight),
        _ => Ok(Key::Ignore),
    }
}

struct State<'h> {
    buf: Vec<char>,
    pos: usize,
    history: &'h [String],
    /// Which history entry is shown; `history.len()` is the line being typed.
    index: usize,
    /// The line being typed while the history is browsed.
    typed: Vec<char>,
}

impl State<'_> {
    fn text(&self) -> String {
        self.buf.iter().collect()
    }

    /// Redraw the prompt and the visible part of the line, then place the cursor.
    fn refresh(&self) {
        let cols = columns().max(PROMPT_WIDTH + 2);
        let (mut start, mut len, mut cursor) = (0, self.buf.len(), self.pos);
        while PROMPT_WIDTH + cursor >= cols {
            start += 1;
            len -= 1;
            cursor -= 1;
        }
        while PROMPT_WIDTH + len > cols {
            len -= 1;
        }
        let visible: String = self.buf[start..start + len]
            .iter()
            .map(|&c| shown(c))
            .collect();
        out(&format!(
            "\r{PROMPT}{visible}\x1b[0K\r\x1b[{}C",
            PROMPT_WIDTH + cursor
        ));
    }

    fn insert(&mut self, c: char) {
        self.buf.insert(self.pos, c);
        self.pos += 1;
        if self.pos == self.buf.len() && PROMPT_WIDTH + self.buf.len() < columns() {
            // Typing at the end of a line that fits: the character is all there is to show.
            out(&shown(c).to_string());
        } else {
            self.refresh();
        }
    }

    fn show_entry(&mut self, index: usize) {
        if self.index == self.history.len() {
            self.typed = std::mem::take(&mut self.buf);
        }
        self.index = index;
        self.buf = if index == self.history.len() {
            std::mem::take(&mut self.typed)
        } else {
            self.history[index].chars().collect()
        };
        self.pos = self.buf.len();
        self.refresh();
    }

    fn word_left(&self) -> usize {
        let mut p = self.pos;
        while p > 0 && !is_word_char(self.buf[p - 1]) {
            p -= 1;
        }
        while p > 0 && is_word_char(self.buf[p - 1]) {
            p -= 1;
        }
        p
    }

    fn word_right(&self) -> usize {
        let mut p = self.pos;
        while p < self.buf.len() && !is_word_char(self.buf[p]) {
            p += 1;
        }
        while p < self.buf.len() && is_word_char(self.buf[p]) {
            p += 1;
        }
        p
    }

    /// Apply one key; `Some` ends the line (`Some(None)`: end of input).
    fn apply(&mut self, key: Key) -> Option<Option<String>> {
        match key {
            Key::Char(c) => self.insert(c),
            Key::Enter => {
                if self.pos != self.buf.len() {
                    self.pos = self.buf.len();
                    self.refresh();
                }
                out("\n");
                return Some(Some(self.text()));
            }
            Key::Eof if self.buf.is_empty() => {
                out("\n");
                return Some(None);
            }
            Key::Eof | Key::Delete => {
                if self.pos < self.buf.len() {
                    self.buf.remove(self.pos);
                    self.refresh();
                }
            }
            Key::Backspace => {
                if self.pos > 0 {
                    self.pos -= 1;
                    self.buf.remove(self.pos);
                    self.refresh();
                }
            }
            Key::Left if self.pos > 0 => {
                self.pos -= 1;
                self.refresh();
            }
            Key::Right if self.pos < self.buf.len() => {
                self.pos += 1;
                self.refresh();
            }
            Key::Home => {
                self.pos = 0;
                self.refresh();
            }
            Key::End => {
                self.pos = self.buf.len();
                self.refresh();
            }
            Key::Up if self.index > 0 => self.show_entry(self.index - 1),
            Key::Down if self.index < self.history.len() => self.show_entry(self.index + 1),
            Key::KillToEnd => {
                self.buf.truncate(self.pos);
                self.refresh();
            }
            Key::KillToStart => {
                self.buf.drain(..self.pos);
                self.pos = 0;
                self.refresh();
            }
            Key::KillWordBack => {
                let mut p = self.pos;
                while p > 0 && self.buf[p - 1].is_whitespace() {
                    p -= 1;
                }
                while p > 0 && !self.buf[p - 1].is_whitespace() {
                    p -= 1;
                }
                self.buf.drain(p..self.pos);
                self.pos = p;
                self.refresh();
            }
            Key::WordLeft => {
                self.pos = self.word_left();
                self.refresh();
            }
            Key::WordRight => {
                self.pos = self.word_right();
                self.refresh();
            }
            Key::ClearScreen => {
                out("\x1b[H\x1b[2J");
                self.refresh();
            }
            Key::Left | Key::Right | Key::Up | Key::Down | Key::Ignore => {}
        }
        None
    }
}

/// Prompt and read one line from the terminal; `None` at end of input.
pub fn read_line(history: &[String]) -> io::Result<Option<String>> {
    let _raw = RawMode::enter()?;
    out(PROMPT);
    let mut state = State {
        buf: Vec::new(),
        pos: 0,
        history,
        index: history.len(),
        typed: Vec::new(),
    };
    loop {
        let Some(key) = next_key()? else {
            out("\n");
            return Ok(None);
        };
        if let Some(done) = state.apply(key) {
            return Ok(done);
        }
    }
}
