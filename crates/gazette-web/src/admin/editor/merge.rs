//! When a save is refused as outdated, the editor shows the version saved meanwhile beside the
//! writer's, difference by difference, for them to choose from (`editor.js` puts the merged
//! text in the editor; without JavaScript both texts are there to copy from).

use gazette_core::diff::{Line, line_diff};
use serde::Serialize;

/// A stretch of the body: the same in both versions, or a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Segment {
    Same {
        text: String,
        lines: usize,
    },
    /// A side with no lines is empty; one with a single empty line is empty too, so each
    /// side's count of lines says which.
    Difference {
        theirs: String,
        mine: String,
        theirs_lines: usize,
        mine_lines: usize,
    },
}

/// The two bodies as alternating common stretches and differences, in order.
pub(super) fn segments(theirs: &str, mine: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    for line in line_diff(theirs, mine) {
        match line {
            Line::Same(text) => match segments.last_mut() {
                Some(Segment::Same { text: same, lines }) => {
                    same.push('\n');
                    same.push_str(text);
                    *lines += 1;
                }
                _ => segments.push(Segment::Same {
                    text: text.to_owned(),
                    lines: 1,
                }),
            },
            Line::Removed(text) | Line::Added(text) => {
                if !matches!(segments.last(), Some(Segment::Difference { .. })) {
                    segments.push(Segment::Difference {
                        theirs: String::new(),
                        mine: String::new(),
                        theirs_lines: 0,
                        mine_lines: 0,
                    });
                }
                if let Some(Segment::Difference {
                    theirs,
                    mine,
                    theirs_lines,
                    mine_lines,
                }) = segments.last_mut()
                {
                    let (side, count) = if matches!(line, Line::Removed(_)) {
                        (theirs, theirs_lines)
                    } else {
                        (mine, mine_lines)
                    };
                    if *count > 0 {
                        side.push('\n');
                    }
                    side.push_str(text);
                    *count += 1;
                }
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_lines_surround_each_difference() {
        let theirs = "Title\n\nThe council met.\n\nEnd.";
        let mine = "Title\n\nThe council met on Monday.\nIt voted.\n\nEnd.";
        assert_eq!(
            segments(theirs, mine),
            [
                Segment::Same {
                    text: "Title\n".to_owned(),
                    lines: 2
                },
                Segment::Difference {
                    theirs: "The council met.".to_owned(),
                    mine: "The council met on Monday.\nIt voted.".to_owned(),
                    theirs_lines: 1,
                    mine_lines: 2,
                },
                Segment::Same {
                    text: "\nEnd.".to_owned(),
                    lines: 2
                },
            ]
        );
    }
}
