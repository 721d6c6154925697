//! A lossless INI document, read the way Python 2's `RawConfigParser`
//! (and therefore kamaki 0.16) reads `~/.kamakirc`.
//!
//! Every line is kept with its original text and line ending, so writing a
//! document back reproduces untouched lines byte for byte; edits only touch
//! the lines they change.
//!
//! Syntax, as `RawConfigParser` understands it:
//!
//! * `[name]` at the start of a line opens section `name` (the text between
//!   the brackets, up to the first `]`; section names are case-sensitive);
//! * `key = value` or `key: value`: the key runs up to the first `=` or `:`;
//!   key and value are trimmed; keys are case-insensitive; there are no
//!   inline comments (`;` and `#` inside a value belong to it);
//! * a line starting with `#` or `;`, or whose first word is `rem`, is a
//!   comment; a line of whitespace is blank;
//! * a line starting with whitespace continues the value of the section's
//!   latest key (joined with `\n`), even across blank and comment lines.

use std::fmt;
use std::path::Path;

use super::ConfigError;

/// The end of a line, kept so that writing back is byte-exact.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Eol {
    /// The last line of a file without a final newline.
    None,
    Lf,
    CrLf,
}

impl Eol {
    fn as_str(self) -> &'static str {
        match self {
            Eol::None => "",
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
        }
    }
}

/// What a line is.
#[derive(Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    Section {
        name: String,
    },
    /// `key` is the trimmed original spelling; the value starts at byte
    /// `value_start` of the line's text.
    Key {
        key: String,
        value_start: usize,
    },
    Continuation,
}

#[derive(Clone)]
struct Line {
    text: String,
    eol: Eol,
    kind: Kind,
}

impl Line {
    fn key_matches(&self, key: &str) -> bool {
        matches!(&self.kind, Kind::Key { key: k, .. } if k.eq_ignore_ascii_case(key))
    }

    fn is_value_line(&self) -> bool {
        matches!(self.kind, Kind::Key { .. } | Kind::Continuation)
    }
}

/// Python 2 `str.isspace` on ASCII (what `strip()` removes).
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

fn trim_ws(s: &str) -> &str {
    s.trim_matches(is_ws)
}

/// Python 2 also skips lines whose first word is `rem` (any case).
fn is_rem(line: &str) -> bool {
    line.split(is_ws)
        .next()
        .is_some_and(|word| word.eq_ignore_ascii_case("rem"))
}

/// Classifies one line, given whether a section and a key precede it.
fn classify(line: &str, in_section: bool, have_key: bool) -> Result<Kind, String> {
    let Some(first) = line.chars().next() else {
        return Ok(Kind::Blank);
    };
    if line.chars().all(is_ws) {
        return Ok(Kind::Blank);
    }
    if first == '#' || first == ';' {
        return Ok(Kind::Comment);
    }
    if is_rem(line) {
        return Ok(Kind::Comment);
    }
    if is_ws(first) {
        return if have_key {
            Ok(Kind::Continuation)
        } else {
            Err(
                "indented line that does not continue a value: remove the leading \
                 whitespace, or put it after a `key = value` line"
                    .to_owned(),
            )
        };
    }
    if let Some(rest) = line.strip_prefix('[')
        && let Some(end) = rest.find(']')
        && end > 0
    {
        return Ok(Kind::Section {
            name: rest[..end].to_owned(),
        });
    }
    if !in_section {
        return Err("text before the first section header: \
                    start the file with a section such as [global]"
            .to_owned());
    }
    if first == '=' || first == ':' {
        return Err("missing key name before `=` or `:`".to_owned());
    }
    let Some(delim) = line.find(['=', ':']) else {
        return Err(
            "expected a [section] header, a `key = value` line or a comment \
                    starting with # or ;, but the line has no `=` or `:`"
                .to_owned(),
        );
    };
    let after = &line[delim + 1..];
    let value_start = delim + 1 + (after.len() - after.trim_start_matches(is_ws).len());
    Ok(Kind::Key {
        key: line[..delim].trim_end_matches(is_ws).to_owned(),
        value_start,
    })
}

/// A parsed INI file that remembers every line, for lossless editing.
#[derive(Clone, Default)]
pub struct IniDocument {
    bom: bool,
    lines: Vec<Line>,
}

/// Where a section occurrence lies: its header line and the end (exclusive)
/// of its body (the next header, or the end of the document).
struct Span {
    header: usize,
    end: usize,
}

impl IniDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `text`; `origin` names the file in error messages.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Parse`] with the 1-based line number of the first line
    /// that is neither a section header, a key, a comment, a blank line nor a
    /// continuation line. The message never quotes the line (it might hold a
    /// token).
    pub fn parse(text: &str, origin: &Path) -> Result<Self, ConfigError> {
        let (bom, mut rest) = match text.strip_prefix('\u{feff}') {
            Some(body) => (true, body),
            None => (false, text),
        };
        let mut lines = Vec::new();
        let (mut in_section, mut have_key) = (false, false);
        while !rest.is_empty() {
            let (line, eol, next) = match rest.find('\n') {
                Some(i) => match rest[..i].strip_suffix('\r') {
                    Some(line) => (line, Eol::CrLf, &rest[i + 1..]),
                    None => (&rest[..i], Eol::Lf, &rest[i + 1..]),
                },
                None => (rest, Eol::None, ""),
            };
            rest = next;
            let kind =
                classify(line, in_section, have_key).map_err(|message| ConfigError::Parse {
                    path: origin.to_path_buf(),
                    line: lines.len() + 1,
                    message,
                })?;
            match kind {
                Kind::Section { .. } => (in_section, have_key) = (true, false),
                Kind::Key { .. } => have_key = true,
                _ => {}
            }
            lines.push(Line {
                text: line.to_owned(),
                eol,
                kind,
            });
        }
        Ok(Self { bom, lines })
    }

    /// Whether the document has no lines at all.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Section names in file order, each once (a repeated section is merged
    /// with its first occurrence, as `RawConfigParser` does).
    pub fn sections(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for line in &self.lines {
            if let Kind::Section { name } = &line.kind
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
        names
    }

    /// Whether a section named exactly `section` exists.
    pub fn has_section(&self, section: &str) -> bool {
        !self.spans(section).is_empty()
    }

    /// Keys of `section` in file order, in their original spelling, each
    /// once (keys differing only in case are the same key).
    pub fn keys(&self, section: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for span in self.spans(section) {
            for line in &self.lines[span.header..span.end] {
                if let Kind::Key { key, .. } = &line.kind
                    && !keys.iter().any(|k| k.eq_ignore_ascii_case(key))
                {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// The value of `key` (case-insensitive) in `section`: the last
    /// assignment wins; continuation lines are joined with `\n`.
    pub fn get(&self, section: &str, key: &str) -> Option<String> {
        let index = self.find_key(section, key)?;
        let line = &self.lines[index];
        let Kind::Key { value_start, .. } = line.kind else {
            return None;
        };
        let mut value = trim_ws(&line.text[value_start..]).to_owned();
        for cont in self.continuations(index) {
            value.push('\n');
            value.push_str(trim_ws(&self.lines[cont].text));
        }
        Some(value)
    }

    /// Sets `key` in `section` to `value` (trimmed, like every value read).
    ///
    /// An existing assignment (the last one, matched case-insensitively) is
    /// rewritten in place, keeping its key spelling and delimiter; otherwise
    /// `key = value` goes after the last key line of the section's last
    /// occurrence; a missing section is appended at the end of the document.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidOption`] for a section or key that could not be
    /// read back, [`ConfigError::InvalidValue`] for a value with a line break.
    pub fn set(&mut self, section: &str, key: &str, value: &str) -> Result<(), ConfigError> {
        check_section(section)?;
        check_key(section, key)?;
        let value = trim_ws(value);
        if value.contains(['\n', '\r']) {
            return Err(ConfigError::InvalidValue {
                option: format!("{section}.{key}"),
                reason: "it contains a line break; give it on one line".to_owned(),
            });
        }
        if let Some(index) = self.find_key(section, key) {
            self.remove_lines(self.continuations(index));
            let line = &mut self.lines[index];
            if let Kind::Key { value_start, .. } = line.kind {
                line.text.truncate(value_start);
                line.text.push_str(value);
            }
            return Ok(());
        }
        let text = if value.is_empty() {
            format!("{key} =")
        } else {
            format!("{key} = {value}")
        };
        let kind = Kind::Key {
            key: key.to_owned(),
            value_start: text.len() - value.len(),
        };
        if let Some(span) = self.spans(section).last() {
            let after = (span.header..span.end)
                .rev()
                .find(|&i| self.lines[i].is_value_line())
                .unwrap_or(span.header);
            self.insert(after + 1, text, kind);
        } else {
            let has_sections = self
                .lines
                .iter()
                .any(|l| matches!(l.kind, Kind::Section { .. }));
            if has_sections && self.lines.last().is_some_and(|l| l.kind != Kind::Blank) {
                self.insert(self.lines.len(), String::new(), Kind::Blank);
            }
            let name = section.to_owned();
            self.insert(
                self.lines.len(),
                format!("[{name}]"),
                Kind::Section { name },
            );
            self.insert(self.lines.len(), text, kind);
        }
        Ok(())
    }

    /// Removes every assignment of `key` in `section` (with its continuation
    /// lines). Returns whether anything was removed.
    pub fn remove_key(&mut self, section: &str, key: &str) -> bool {
        let mut doomed = Vec::new();
        for span in self.spans(section) {
            for i in span.header..span.end {
                if self.lines[i].key_matches(key) {
                    doomed.push(i);
                    doomed.extend(self.continuations(i));
                }
            }
        }
        let removed = !doomed.is_empty();
        self.remove_lines(doomed);
        removed
    }

    /// Removes every occurrence of `section`: its header, keys and the
    /// comments between them. Comments after its last key are kept (they
    /// usually introduce the next section); a blank line that would double
    /// the separation between sections goes too. Returns whether the section
    /// existed.
    pub fn remove_section(&mut self, section: &str) -> bool {
        let spans = self.spans(section);
        for span in spans.iter().rev() {
            let last = (span.header..span.end)
                .rev()
                .find(|&i| self.lines[i].is_value_line())
                .unwrap_or(span.header);
            self.lines.drain(span.header..=last);
            let start = span.header;
            let prev_blank = start == 0 || self.lines[start - 1].kind == Kind::Blank;
            match self.lines.get(start) {
                Some(next) if prev_blank && next.kind == Kind::Blank => {
                    self.lines.remove(start);
                }
                None if start > 0 && prev_blank => {
                    self.lines.remove(start - 1);
                }
                _ => {}
            }
        }
        !spans.is_empty()
    }

    fn spans(&self, section: &str) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        let mut open = false;
        for (i, line) in self.lines.iter().enumerate() {
            if let Kind::Section { name } = &line.kind {
                if open && let Some(span) = spans.last_mut() {
                    span.end = i;
                }
                open = name == section;
                if open {
                    spans.push(Span {
                        header: i,
                        end: self.lines.len(),
                    });
                }
            }
        }
        spans
    }

    fn find_key(&self, section: &str, key: &str) -> Option<usize> {
        self.spans(section)
            .iter()
            .flat_map(|span| span.header..span.end)
            .rfind(|&i| self.lines[i].key_matches(key))
    }

    /// Indices of the continuation lines of the key at `index`.
    fn continuations(&self, index: usize) -> Vec<usize> {
        self.lines
            .iter()
            .enumerate()
            .skip(index + 1)
            .take_while(|(_, l)| !matches!(l.kind, Kind::Key { .. } | Kind::Section { .. }))
            .filter(|(_, l)| l.kind == Kind::Continuation)
            .map(|(i, _)| i)
            .collect()
    }

    fn remove_lines(&mut self, mut indices: Vec<usize>) {
        indices.sort_unstable();
        indices.dedup();
        for i in indices.into_iter().rev() {
            self.lines.remove(i);
        }
    }

    /// The line ending new lines get: that of the first ended line.
    fn newline(&self) -> Eol {
        self.lines
            .iter()
            .map(|l| l.eol)
            .find(|&e| e != Eol::None)
            .unwrap_or(Eol::Lf)
    }

    fn insert(&mut self, at: usize, text: String, kind: Kind) {
        let eol = self.newline();
        if at > 0 && self.lines[at - 1].eol == Eol::None {
            self.lines[at - 1].eol = eol;
        }
        self.lines.insert(at, Line { text, eol, kind });
    }
}

fn check_section(section: &str) -> Result<(), ConfigError> {
    let reason = if section.is_empty() {
        "the section name is empty"
    } else if section.contains([']', '\n', '\r']) {
        "a section name cannot contain `]` or a line break"
    } else {
        return Ok(());
    };
    Err(ConfigError::InvalidOption {
        option: section.to_owned(),
        reason: reason.to_owned(),
    })
}

fn check_key(section: &str, key: &str) -> Result<(), ConfigError> {
    let reason = if key.contains(['=', ':', '\n', '\r']) {
        "a key cannot contain `=`, `:` or a line break"
    } else if key.is_empty()
        || trim_ws(key) != key
        || key.starts_with(['[', '#', ';'])
        || is_rem(key)
    {
        "a key must be non-empty, without surrounding whitespace, and not start \
         with `[`, `#`, `;` or the word `rem`"
    } else {
        return Ok(());
    };
    Err(ConfigError::InvalidOption {
        option: format!("{section}.{key}"),
        reason: reason.to_owned(),
    })
}

impl fmt::Display for IniDocument {
    /// The document as text: the original bytes, plus the edits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bom {
            f.write_str("\u{feff}")?;
        }
        for line in &self.lines {
            f.write_str(&line.text)?;
            f.write_str(line.eol.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for IniDocument {
    /// Section names and the line count only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IniDocument")
            .field("sections", &self.sections())
            .field("lines", &self.lines.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> IniDocument {
        IniDocument::parse(text, Path::new("test.ini")).expect("parses")
    }

    fn parse_err(text: &str) -> (usize, String) {
        match IniDocument::parse(text, Path::new("test.ini")) {
            Err(ConfigError::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    const KAMAKIRC: &str = "# Kamaki configuration file v0.16\n\
        [global]\n\
        default_cloud = okeanos\n\
        colors = on\n\
        log_file = /home/user/.kamaki.log\n\
        history_limit = 100\n\
        ignore_ssl = off\n\
        file_cli = pithos\n\
        \n\
        # my production cloud; do not touch\n\
        [cloud \"okeanos\"]\n\
        url = https://accounts.okeanos.grnet.gr/identity/v2.0\n\
        token = s0m3;t0k3n= 0th3r#t0k3n\n\
        pithos_container = my;container\n\
        \n\
        [cloud \"dev.local:8443\"]\n\
        url: https://dev.local:8443/identity/v2.0\n\
        token=devtoken\n";

    #[test]
    fn round_trip_of_a_kamaki_file_is_byte_exact() {
        let doc = parse(KAMAKIRC);
        assert_eq!(doc.to_string(), KAMAKIRC);
        assert_eq!(
            doc.sections(),
            ["global", "cloud \"okeanos\"", "cloud \"dev.local:8443\""]
        );
        assert_eq!(
            doc.keys("global"),
            [
                "default_cloud",
                "colors",
                "log_file",
                "history_limit",
                "ignore_ssl",
                "file_cli"
            ]
        );
        let okeanos = "cloud \"okeanos\"";
        assert_eq!(
            doc.get(okeanos, "token").as_deref(),
            Some("s0m3;t0k3n= 0th3r#t0k3n")
        );
        assert_eq!(
            doc.get(okeanos, "pithos_container").as_deref(),
            Some("my;container")
        );
        let dev = "cloud \"dev.local:8443\"";
        assert_eq!(
            doc.get(dev, "url").as_deref(),
            Some("https://dev.local:8443/identity/v2.0")
        );
        assert_eq!(doc.get(dev, "token").as_deref(), Some("devtoken"));
        assert_eq!(doc.get("global", "missing"), None);
        assert_eq!(doc.get("nosection", "url"), None);
    }

    #[test]
    fn edits_leave_other_lines_byte_exact() {
        let mut doc = parse(KAMAKIRC);
        doc.set("global", "colors", "off").expect("set");
        assert!(doc.remove_key("cloud \"dev.local:8443\"", "token"));
        let expected = KAMAKIRC
            .replace("colors = on\n", "colors = off\n")
            .replace("token=devtoken\n", "");
        assert_eq!(doc.to_string(), expected);
    }

    #[test]
    fn set_existing_key_keeps_position_spelling_and_delimiter() {
        let text = "[s]\nFirst=1\nSecond :  2\nthird =\nfourth = 4\n";
        let mut doc = parse(text);
        doc.set("s", "first", "one").expect("set");
        doc.set("s", "SECOND", "two").expect("set");
        doc.set("s", "third", "three").expect("set");
        doc.set("s", "fourth", "").expect("set");
        assert_eq!(
            doc.to_string(),
            "[s]\nFirst=one\nSecond :  two\nthird =three\nfourth = \n"
        );
        assert_eq!(doc.get("s", "fourth").as_deref(), Some(""));
        assert_eq!(doc.keys("s"), ["First", "Second", "third", "fourth"]);
    }

    #[test]
    fn new_key_goes_after_the_last_key_of_its_section() {
        let mut doc = parse("[a]\nx = 1\n# note\n\n[b]\ny = 2\n");
        doc.set("a", "z", "3").expect("set");
        doc.set("b", "w", "4").expect("set");
        assert_eq!(
            doc.to_string(),
            "[a]\nx = 1\nz = 3\n# note\n\n[b]\ny = 2\nw = 4\n"
        );
        let mut empty = parse("[a]\n\n[b]\n");
        empty.set("a", "k", "v").expect("set");
        assert_eq!(empty.to_string(), "[a]\nk = v\n\n[b]\n");
    }

    #[test]
    fn new_section_is_appended_after_a_blank_line() {
        let mut doc = parse("# header\n[global]\ncolors = on");
        doc.set("cloud \"x\"", "url", "https://x").expect("set");
        doc.set("global", "log_pid", "on").expect("set");
        assert_eq!(
            doc.to_string(),
            "# header\n[global]\ncolors = on\nlog_pid = on\n\n[cloud \"x\"]\nurl = https://x\n"
        );
        let mut header_only = parse("# header\n");
        header_only.set("global", "colors", "").expect("set");
        assert_eq!(header_only.to_string(), "# header\n[global]\ncolors =\n");
        let mut new = IniDocument::new();
        new.set("global", "a", "b").expect("set");
        assert_eq!(new.to_string(), "[global]\na = b\n");
    }

    #[test]
    fn crlf_line_endings_and_bom_are_kept() {
        let text = "\u{feff}[a]\r\nx = 1\r\n";
        let mut doc = parse(text);
        assert_eq!(doc.to_string(), text);
        doc.set("a", "y", "2").expect("set");
        doc.set("b", "z", "3").expect("set");
        assert_eq!(
            doc.to_string(),
            "\u{feff}[a]\r\nx = 1\r\ny = 2\r\n\r\n[b]\r\nz = 3\r\n"
        );
    }

    #[test]
    fn remove_key_and_section() {
        let text =
            "[global]\na = 1\n\n[cloud \"x\"]\nurl = u\n# keep me\n\n[cloud \"y\"]\nurl = v\n";
        let mut doc = parse(text);
        assert!(doc.remove_key("global", "A"));
        assert!(!doc.remove_key("global", "a"));
        assert!(!doc.remove_key("nowhere", "a"));
        assert!(doc.remove_section("cloud \"x\""));
        assert_eq!(
            doc.to_string(),
            "[global]\n\n# keep me\n\n[cloud \"y\"]\nurl = v\n"
        );
        assert!(doc.remove_section("cloud \"y\""));
        assert_eq!(doc.to_string(), "[global]\n\n# keep me\n");
        assert!(!doc.remove_section("cloud \"y\""));

        let mut doc = parse("[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3\n");
        assert!(doc.remove_section("b"));
        assert_eq!(doc.to_string(), "[a]\nx = 1\n\n[c]\nz = 3\n");
        assert!(doc.remove_section("a"));
        assert_eq!(doc.to_string(), "[c]\nz = 3\n");
    }

    #[test]
    fn keys_are_case_insensitive_sections_are_not() {
        let doc = parse("[Global]\nColors = on\n[global]\ncolors = off\n");
        assert_eq!(doc.get("Global", "COLORS").as_deref(), Some("on"));
        assert_eq!(doc.get("global", "Colors").as_deref(), Some("off"));
        assert_eq!(doc.keys("Global"), ["Colors"]);
    }

    #[test]
    fn repeated_keys_and_sections_merge_last_wins() {
        let mut doc = parse("[a]\nk = 1\n\n[b]\nx = 0\n\n[a]\nK = 2\nm = 3\n");
        assert_eq!(doc.get("a", "k").as_deref(), Some("2"));
        assert_eq!(doc.keys("a"), ["k", "m"]);
        assert_eq!(doc.sections(), ["a", "b"]);
        doc.set("a", "k", "9").expect("set");
        assert_eq!(
            doc.to_string(),
            "[a]\nk = 1\n\n[b]\nx = 0\n\n[a]\nK = 9\nm = 3\n"
        );
        doc.set("a", "new", "n").expect("set");
        assert!(doc.to_string().ends_with("m = 3\nnew = n\n"));
        assert!(doc.remove_key("a", "k"));
        assert_eq!(doc.get("a", "k"), None);
    }

    #[test]
    fn continuation_lines() {
        let text = "[a]\nk = first\n  second\n# comment\n\n\tthird\nother = x\n";
        let mut doc = parse(text);
        assert_eq!(doc.get("a", "k").as_deref(), Some("first\nsecond\nthird"));
        assert_eq!(doc.get("a", "other").as_deref(), Some("x"));
        assert_eq!(doc.to_string(), text);
        doc.set("a", "k", "single").expect("set");
        assert_eq!(doc.to_string(), "[a]\nk = single\n# comment\n\nother = x\n");

        let mut doc = parse(text);
        assert!(doc.remove_key("a", "k"));
        assert_eq!(doc.to_string(), "[a]\n# comment\n\nother = x\n");

        // A new key never lands before continuation lines.
        let mut doc = parse("[a]\nk = 1\n  2\n");
        doc.set("a", "n", "3").expect("set");
        assert_eq!(doc.to_string(), "[a]\nk = 1\n  2\nn = 3\n");
        assert_eq!(doc.get("a", "k").as_deref(), Some("1\n2"));
    }

    #[test]
    fn comments_and_python2_quirks() {
        let doc = parse(
            "; semicolon comment\n# hash comment\n[s] trailing text\n\
             rem this is a comment\nREM too\nremark = kept\nurl: http://h:1/p?a=b\n\
             empty =\nspaced   =   v  \n",
        );
        assert_eq!(doc.sections(), ["s"]);
        assert_eq!(doc.keys("s"), ["remark", "url", "empty", "spaced"]);
        assert_eq!(doc.get("s", "url").as_deref(), Some("http://h:1/p?a=b"));
        assert_eq!(doc.get("s", "empty").as_deref(), Some(""));
        assert_eq!(doc.get("s", "spaced").as_deref(), Some("v"));
        assert_eq!(doc.get("s", "remark").as_deref(), Some("kept"));
        // No inline comments.
        let doc = parse("[s]\nk = a ; b # c\n");
        assert_eq!(doc.get("s", "k").as_deref(), Some("a ; b # c"));
    }

    #[test]
    fn parse_errors_name_the_line_and_never_quote_it() {
        let (line, message) = parse_err("# c\n[s]\nk = v\nsecret-token-alone\n");
        assert_eq!(line, 4);
        assert!(message.contains("no `=` or `:`"), "{message}");
        assert!(!message.contains("secret"));
        let (line, message) = parse_err("\nk = v\n");
        assert_eq!(line, 2);
        assert!(message.contains("[global]"), "{message}");
        let (line, message) = parse_err("[s]\n  indented\n");
        assert_eq!(line, 2);
        assert!(message.contains("indented"), "{message}");
        let (line, _) = parse_err("[s]\n= v\n");
        assert_eq!(line, 2);
        let (line, _) = parse_err("[s]\n[]\n");
        assert_eq!(line, 2);
        let (line, _) = parse_err("[a]\nk = 1\n[b]\n  cont\n");
        assert_eq!(line, 4);
        let err = IniDocument::parse("[s]\nbad\n", Path::new("/x/y.rc"))
            .expect_err("error")
            .to_string();
        assert!(err.contains("/x/y.rc") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn invalid_sets_are_errors() {
        let mut doc = parse("[s]\nk = v\n");
        for key in [
            "", "a=b", "a:b", " a", "a ", "#a", ";a", "[a", "rem", "REM x", "a\nb",
        ] {
            assert!(
                matches!(
                    doc.set("s", key, "v"),
                    Err(ConfigError::InvalidOption { .. })
                ),
                "{key:?}"
            );
        }
        for section in ["", "a]b", "a\nb"] {
            assert!(doc.set(section, "k", "v").is_err(), "{section:?}");
        }
        match doc.set("s", "k", "line1\nline2-secret") {
            Err(e @ ConfigError::InvalidValue { .. }) => {
                assert!(!e.to_string().contains("secret"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(doc.to_string(), "[s]\nk = v\n");
        doc.set("s", "k", "  padded  ").expect("set");
        assert_eq!(doc.get("s", "k").as_deref(), Some("padded"));
    }

    /// Tiny deterministic generator (no `rand` dependency).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize
        }
    }

    #[test]
    fn garbage_never_panics_and_what_parses_round_trips() {
        let pieces = [
            "[",
            "]",
            "=",
            ":",
            ";",
            "#",
            " ",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "a",
            "K",
            "rem",
            "\u{feff}",
            "é",
            "\u{0}",
            "\u{7f}",
            "\u{ffff}",
            "[s]",
            "[cloud \"x\"]",
            "k = v",
            "\x0b",
            "\x0c",
            "😀",
            "\\",
            "\"",
        ];
        let mut rng = Lcg(42);
        let mut parsed = 0;
        for _ in 0..5000 {
            let len = rng.next() % 24;
            let text: String = (0..len)
                .map(|_| pieces[rng.next() % pieces.len()])
                .collect();
            let Ok(mut doc) = IniDocument::parse(&text, Path::new("fuzz")) else {
                continue;
            };
            parsed += 1;
            assert_eq!(doc.to_string(), text);
            let sections: Vec<String> = doc.sections().into_iter().map(str::to_owned).collect();
            for section in &sections {
                let keys: Vec<String> = doc.keys(section).into_iter().map(str::to_owned).collect();
                for key in &keys {
                    let _ = doc.get(section, key);
                }
                let _ = doc.set(section, "new", "v");
                if let Some(key) = keys.first() {
                    let _ = doc.set(section, key, "w");
                    doc.remove_key(section, key);
                }
            }
            let _ = doc.set("added", "k", "v");
            if let Some(section) = sections.first() {
                doc.remove_section(section);
            }
            let again = doc.to_string();
            let reparsed = IniDocument::parse(&again, Path::new("fuzz")).expect("edits stay valid");
            assert_eq!(reparsed.to_string(), again);
        }
        assert!(parsed > 100, "only {parsed} inputs parsed");
        // Binary-ish input as the caller would pass it after a lossy decode.
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        let _ = IniDocument::parse(&String::from_utf8_lossy(&bytes), Path::new("bin"));
    }
}
