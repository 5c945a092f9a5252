//! Finding codes as a person types: by code (`m54`, `M54.5`) or by words of the
//! description (`low back`, `knee pain right`), over the whole release.
//!
//! Each word of every description is indexed once, sorted, so a typed word is a prefix
//! range of the index; a query's codes are those of its rarest word, kept when every other
//! typed word starts a word of their description. Billable codes come first, then shorter
//! (less specific) ones, then tabular order.

use crate::{Code, CodeSet, dotted, undotted};
use std::collections::BTreeMap;

/// Words of the descriptions, each with the codes (positions) whose description has it.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordIndex {
    words: BTreeMap<String, Vec<u32>>,
}

impl WordIndex {
    pub(crate) fn build<'a>(codes: impl Iterator<Item = Code<'a>>) -> WordIndex {
        let mut words: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, code) in codes.enumerate() {
            let position = u32::try_from(i).unwrap_or(u32::MAX);
            for word in words_of(code.description) {
                let postings = words.entry(word).or_default();
                if postings.last() != Some(&position) {
                    postings.push(position);
                }
            }
        }
        WordIndex { words }
    }

    /// The codes with a word starting with `prefix`, and how many there are.
    fn starting_with(&self, prefix: &str) -> Vec<u32> {
        let mut found: Vec<u32> = self
            .words
            .range(prefix.to_owned()..)
            .take_while(|(w, _)| w.starts_with(prefix))
            .flat_map(|(_, postings)| postings.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// A description's words, lower-case, letters and digits only.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl CodeSet {
    /// Up to `limit` codes matching `query`: by code when it looks like one (a letter, a
    /// digit, then anything), by the words of their descriptions otherwise.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Code<'_>> {
        let query = query.trim();
        let key = undotted(query);
        let looks_like_a_code = key.len() >= 2
            && key.as_bytes()[0].is_ascii_alphabetic()
            && key.as_bytes()[1].is_ascii_digit()
            && !query.contains(' ');
        let mut found: Vec<usize> = if looks_like_a_code {
            self.by_code_prefix(&key)
        } else {
            self.by_words(query)
        };
        found.sort_unstable_by_key(|&i| {
            let e = self.entries[i];
            (!e.billable, e.code_len, i)
        });
        found.into_iter().take(limit).map(|i| self.at(i)).collect()
    }

    /// Codes whose text (without the dot) starts with `key`.
    fn by_code_prefix(&self, key: &str) -> Vec<usize> {
        self.positions_starting_with(&dotted(key)).collect()
    }

    /// Codes with a word starting with each typed word.
    fn by_words(&self, query: &str) -> Vec<usize> {
        let typed: Vec<String> = words_of(query).collect();
        if typed.is_empty() {
            return Vec::new();
        }
        let index = self.words();
        let mut lists: Vec<Vec<u32>> = typed.iter().map(|w| index.starting_with(w)).collect();
        lists.sort_by_key(Vec::len);
        let Some((rarest, others)) = lists.split_first() else {
            return Vec::new();
        };
        rarest
            .iter()
            .filter(|i| others.iter().all(|list| list.binary_search(i).is_ok()))
            .map(|&i| i as usize)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::CodeSet;

    fn codes(query: &str) -> Vec<String> {
        CodeSet::builtin()
            .search(query, 5)
            .into_iter()
            .map(|c| c.code.to_owned())
            .collect()
    }

    #[test]
    fn by_code_billable_first() {
        assert_eq!(codes("m54.5"), ["M54.50", "M54.51", "M54.59", "M54.5"]);
        assert_eq!(codes("M545")[0], "M54.50");
    }

    #[test]
    fn by_words_in_any_order_and_any_case() {
        let found = codes("Low back PAIN");
        assert!(found.contains(&"M54.50".to_owned()), "{found:?}");
        let knee = CodeSet::builtin().search("pain right knee", 25);
        assert!(knee.iter().any(|c| c.code == "M25.561"), "{knee:?}");
        assert!(codes("zzzz qqqq").is_empty());
        assert!(codes("   ").is_empty());
    }
}
