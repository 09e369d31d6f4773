//! Line and column numbers for error messages, from byte offsets, without keeping the file.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// How many recent line starts are remembered: errors are reported where the parser is, so
/// only the recent past matters, and memory stays bounded on files of any size.
const REMEMBERED: usize = 65_536;

/// Passes a reader through, noting where lines start.
#[derive(Debug)]
pub(crate) struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// Offsets just after recent newlines, oldest first.
    line_starts: VecDeque<u64>,
    /// Newlines before the oldest remembered one.
    forgotten: u64,
}

impl<R> LineCounter<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            line_starts: VecDeque::new(),
            forgotten: 0,
        }
    }

    /// The 1-based line and column (in bytes) of a byte offset already read.
    pub fn line_and_column(&self, at: u64) -> (u64, u64) {
        let before = self.line_starts.partition_point(|start| *start <= at);
        let line = self.forgotten + before as u64 + 1;
        let line_start = match before {
            0 => 0,
            n => self.line_starts[n - 1],
        };
        (line, at.saturating_sub(line_start) + 1)
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        note(
            &mut self.line_starts,
            &mut self.forgotten,
            self.offset,
            &buf[..n],
        );
        self.offset += n as u64;
        Ok(n)
    }
}

/// Remembers where the lines in `bytes` (which start at `offset`) begin.
fn note(line_starts: &mut VecDeque<u64>, forgotten: &mut u64, offset: u64, bytes: &[u8]) {
    for (i, byte) in bytes.iter().enumerate() {
        if *byte == b'\n' {
            if line_starts.len() == REMEMBERED {
                line_starts.pop_front();
                *forgotten += 1;
            }
            line_starts.push_back(offset + i as u64 + 1);
        }
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buffer) = self.inner.fill_buf() {
            let consumed = &buffer[..amount.min(buffer.len())];
            note(
                &mut self.line_starts,
                &mut self.forgotten,
                self.offset,
                consumed,
            );
        }
        self.offset += amount as u64;
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let mut counter = LineCounter::new("ab\ncd\n\nefg".as_bytes());
        let mut all = String::new();
        counter.read_to_string(&mut all).unwrap_or_default();
        assert_eq!(counter.line_and_column(0), (1, 1));
        assert_eq!(counter.line_and_column(1), (1, 2));
        assert_eq!(counter.line_and_column(3), (2, 1));
        assert_eq!(counter.line_and_column(6), (3, 1));
        assert_eq!(counter.line_and_column(9), (4, 3));
    }
}
