//! One record read whole: a small tree of elements, each with its text.

use crate::Vocabulary;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub vocabulary: Vocabulary,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// The element's own text (its CDATA sections and text joined), not its children's.
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn new(vocabulary: Vocabulary, name: String) -> Self {
        Self {
            vocabulary,
            name,
            attributes: Vec::new(),
            text: String::new(),
            children: Vec::new(),
        }
    }

    /// The first child with this vocabulary and name. WordPress reads the first one too when
    /// a field is repeated.
    pub fn child(&self, vocabulary: Vocabulary, name: &str) -> Option<&Node> {
        self.children
            .iter()
            .find(|c| c.vocabulary == vocabulary && c.name == name)
    }

    /// Every child with this vocabulary and name.
    pub fn all<'a>(
        &'a self,
        vocabulary: Vocabulary,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Node> + 'a {
        self.children
            .iter()
            .filter(move |c| c.vocabulary == vocabulary && c.name == name)
    }

    /// A child's text, trimmed; empty when it is missing.
    pub fn text_of(&self, vocabulary: Vocabulary, name: &str) -> String {
        self.child(vocabulary, name)
            .map(|c| c.text.trim().to_owned())
            .unwrap_or_default()
    }

    /// A child's text exactly as written (bodies keep their whitespace).
    pub fn raw_text_of(&self, vocabulary: Vocabulary, name: &str) -> String {
        self.child(vocabulary, name)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }

    /// A WordPress child's text as a number, when it is one.
    pub fn number_of(&self, name: &str) -> Option<i64> {
        self.text_of(Vocabulary::WordPress, name).parse().ok()
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}
