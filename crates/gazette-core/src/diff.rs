//! Line diffs, for comparing two revisions of an article.
//!
//! A longest-common-subsequence table over lines: quadratic, which is fine for articles (a
//! few hundred lines). Past `MAX_CELLS` the diff degrades to "everything removed, everything
//! added" rather than using unbounded memory.

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Above this many table cells (old lines × new lines), no alignment is attempted.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `old` and `new` aligned: common lines once, the rest as removed or added.
pub fn line_diff<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        return a
            .iter()
            .map(|l| Line::Removed(l))
            .chain(b.iter().map(|l| Line::Added(l)))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            out.push(Line::Removed(a[i]));
            i += 1;
        } else {
            out.push(Line::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| Line::Removed(l)));
    out.extend(b[j..].iter().map(|l| Line::Added(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Line::*;

    #[test]
    fn changed_lines_are_removed_and_added_around_common_ones() {
        let old = "one\ntwo\nthree\nfour";
        let new = "one\n2\nthree\nfour\nfive";
        assert_eq!(
            line_diff(old, new),
            vec![
                Same("one"),
                Removed("two"),
                Added("2"),
                Same("three"),
                Same("four"),
                Added("five")
            ]
        );
    }

    #[test]
    fn identical_and_empty_texts() {
        assert_eq!(line_diff("a\nb", "a\nb"), vec![Same("a"), Same("b")]);
        assert_eq!(line_diff("", "a"), vec![Added("a")]);
        assert_eq!(line_diff("a", ""), vec![Removed("a")]);
    }

    proptest::proptest! {
        /// Dropping the added lines gives the old text back; dropping the removed, the new.
        #[test]
        fn a_diff_reconstructs_both_texts(old in "[abc\n]{0,40}", new in "[abc\n]{0,40}") {
            let diff = line_diff(&old, &new);
            let before: Vec<&str> = diff.iter().filter_map(|l| match l { Same(t) | Removed(t) => Some(*t), Added(_) => None }).collect();
            let after: Vec<&str> = diff.iter().filter_map(|l| match l { Same(t) | Added(t) => Some(*t), Removed(_) => None }).collect();
            proptest::prop_assert_eq!(before, old.lines().collect::<Vec<_>>());
            proptest::prop_assert_eq!(after, new.lines().collect::<Vec<_>>());
        }
    }
}
