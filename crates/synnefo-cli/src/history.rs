//! The command history, in kamaki's file format so both tools can share
//! `~/.kamaki.history`: a first line with the count of entries trimmed
//! away so far, then one command line per line.
//!
//! Entries are numbered from 1 across trims: the first line left after
//! trimming 10 is number 11. Unlike kamaki, every token is masked, not only
//! the active one, and a broken history never fails the command that is
//! being recorded.

use crate::config::{Config, expand_home};
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What stands in for a token in a recorded command line.
pub(crate) const MASK: &str = "...";

/// A history file.
#[derive(Debug)]
pub(crate) struct History {
    path: PathBuf,
}

/// The entries of a history file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entries {
    /// How many entries were trimmed away before the first one kept.
    pub(crate) trimmed: u64,
    /// The command lines, oldest first.
    pub(crate) lines: Vec<String>,
}

impl Entries {
    /// The entries with their numbers (the first kept is `trimmed + 1`).
    pub(crate) fn numbered(&self) -> impl Iterator<Item = (u64, &str)> {
        (self.trimmed + 1..).zip(self.lines.iter().map(String::as_str))
    }
}

/// A selection of entries by number, kamaki's slice notation: `N`, `N:`,
/// `:N`, `N:M` (both ends included here); a negative number counts back
/// from the newest entry (`-1` is the newest).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Selection {
    from: Option<i64>,
    to: Option<i64>,
}

impl Selection {
    /// Everything.
    pub(crate) const ALL: Selection = Selection {
        from: None,
        to: None,
    };

    /// Parses `N`, `N:`, `:N`, `N:M` or the empty string (everything).
    pub(crate) fn parse(text: &str) -> Result<Selection, String> {
        let number = |part: &str| -> Result<Option<i64>, String> {
            let part = part.trim();
            if part.is_empty() {
                return Ok(None);
            }
            part.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{part:?} is not a command number (use N, N:, :N or N:M)"))
        };
        match text.split_once(':') {
            None if text.trim().is_empty() => Ok(Selection::ALL),
            None => {
                let n = number(text)?;
                Ok(Selection { from: n, to: n })
            }
            Some((from, to)) => Ok(Selection {
                from: number(from)?,
                to: number(to)?,
            }),
        }
    }

    /// Whether entry `number` of entries numbered `first..=last` is chosen.
    fn contains(&self, number: u64, last: u64) -> bool {
        let resolve = |n: i64| -> i64 {
            if n < 0 {
                i64::try_from(last).unwrap_or(i64::MAX) + 1 + n
            } else {
                n
            }
        };
        let number = i64::try_from(number).unwrap_or(i64::MAX);
        self.from.is_none_or(|from| number >= resolve(from))
            && self.to.is_none_or(|to| number <= resolve(to))
    }
}

impl History {
    /// The history at `path`.
    pub(crate) fn new(path: impl Into<PathBuf>) -> History {
        History { path: path.into() }
    }

    /// Where it lives.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the entries; a missing file has none.
    ///
    /// # Errors
    /// The file cannot be read, or its first line is no count (not a
    /// history file).
    pub(crate) fn read(&self) -> io::Result<Entries> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        let mut lines = text.lines();
        let trimmed = match lines.next() {
            None => 0,
            Some(first) => first.trim().parse::<u64>().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "its first line {first:?} is not kamaki's count of trimmed entries; \
                         `snf history clean` starts it afresh"
                    ),
                )
            })?,
        };
        Ok(Entries {
            trimmed,
            lines: lines.map(str::to_owned).collect(),
        })
    }

    /// The entries chosen by `selection` whose text holds every word of
    /// `terms`, with their numbers.
    ///
    /// # Errors
    /// As [`History::read`].
    pub(crate) fn show(&self, selection: Selection, terms: &str) -> io::Result<Vec<(u64, String)>> {
        let entries = self.read()?;
        let last = entries.trimmed + entries.lines.len() as u64;
        let words: Vec<&str> = terms.split_whitespace().collect();
        Ok(entries
            .numbered()
            .filter(|(number, _)| selection.contains(*number, last))
            .filter(|(_, line)| words.iter().all(|word| line.contains(word)))
            .map(|(number, line)| (number, line.to_owned()))
            .collect())
    }

    /// Appends a command line, then keeps only the newest `limit` entries
    /// (0: all).
    ///
    /// # Errors
    /// The file cannot be read or written.
    pub(crate) fn add(&self, line: &str, limit: u64) -> io::Result<()> {
        let line = line.replace(['\n', '\r'], " ");
        let exists = self.path.exists();
        let mut file = open_private(&self.path, true)?;
        if !exists || file.metadata()?.len() == 0 {
            file.write_all(b"0\n")?;
        }
        file.write_all(format!("{line}\n").as_bytes())?;
        drop(file);
        if limit > 0 {
            let entries = self.read()?;
            let extra = entries.lines.len().saturating_sub(limit as usize);
            if extra > 0 {
                self.write(&Entries {
                    trimmed: entries.trimmed + extra as u64,
                    lines: entries.lines[extra..].to_vec(),
                })?;
            }
        }
        Ok(())
    }

    /// Forgets every entry (kamaki's `history clean`: the count restarts).
    ///
    /// # Errors
    /// The file cannot be written.
    pub(crate) fn clean(&self) -> io::Result<()> {
        self.write(&Entries {
            trimmed: 0,
            lines: Vec::new(),
        })
    }

    fn write(&self, entries: &Entries) -> io::Result<()> {
        let mut text = format!("{}\n", entries.trimmed);
        for line in &entries.lines {
            text.push_str(line);
            text.push('\n');
        }
        let mut file = open_private(&self.path, false)?;
        file.write_all(text.as_bytes())
    }
}

/// The history the config names (`history_file`, `~` expanded) and its
/// `history_limit` (0, unlimited, when unset or not a number).
pub(crate) fn from_config(config: &Config) -> (History, u64) {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let file = config
        .get("history_file")
        .ok()
        .flatten()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or_else(|| "~/.kamaki.history".to_owned());
    let limit = config
        .get("history_limit")
        .ok()
        .flatten()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    (History::new(expand_home(&file, home.as_deref())), limit)
}

/// Every token the config holds, in any cloud, to mask in recorded lines.
pub(crate) fn config_tokens(config: &Config) -> Vec<String> {
    config
        .clouds()
        .iter()
        .filter_map(|name| config.cloud(name))
        .flat_map(|cloud| {
            // `token` and the per-service `<service>_token` overrides.
            cloud
                .options()
                .iter()
                .filter(|(key, _)| key == "token" || key.ends_with("_token"))
                .flat_map(|(_, value)| value.split_whitespace().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Records this run's command line in the config's history, with the
/// config's tokens and `secrets` (tokens given on the command line)
/// masked. Never fails the run: a history that cannot be written is
/// reported in the debug log.
/// Gives the line recorded (for the log file).
pub(crate) fn record(config: &Config, args: &[String], secrets: &[String]) -> String {
    let mut all = config_tokens(config);
    all.extend(secrets.iter().cloned());
    let line = command_line(args, &all);
    let (history, limit) = from_config(config);
    if let Err(error) = history.add(&line, limit) {
        tracing::debug!(
            file = %history.path().display(),
            %error,
            "cannot record the command in the history"
        );
    }
    line
}

/// Opens for appending or rewriting, creating the file readable by its
/// owner only: command lines can name private things.
fn open_private(path: &Path, append: bool) -> io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The command line to record for `args` (without the program name):
/// every token in `secrets` and the value of any `--token` option masked,
/// words quoted where a shell would need it.
pub(crate) fn command_line(args: &[String], secrets: &[String]) -> String {
    let mut masked = Vec::with_capacity(args.len() + 1);
    masked.push("snf".to_owned());
    let mut mask_next = false;
    for arg in args {
        let mut word = if mask_next {
            MASK.to_owned()
        } else if arg.starts_with("--token=") {
            format!("--token={MASK}")
        } else {
            arg.clone()
        };
        mask_next = arg == "--token";
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            word = word.replace(secret.as_str(), MASK);
        }
        masked.push(quote(&word));
    }
    masked.join(" ")
}

/// Quotes a word that a shell would split or expand.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=@,+%~".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn tokens_are_masked() {
        let secrets = strings(&["tok-A", "tok-B"]);
        assert_eq!(
            command_line(&strings(&["server", "list", "-l"]), &secrets),
            "snf server list -l"
        );
        assert_eq!(
            command_line(&strings(&["user", "authenticate", "tok-B"]), &secrets),
            "snf user authenticate ..."
        );
        assert_eq!(
            command_line(
                &strings(&["--cloud", "c", "user", "add", "--token", "tok-Z"]),
                &[]
            ),
            "snf --cloud c user add --token ..."
        );
        assert_eq!(
            command_line(&strings(&["user", "add", "--token=tok-Z"]), &[]),
            "snf user add --token=..."
        );
        assert_eq!(
            command_line(&strings(&["file", "cat", "/c/tok-Bx"]), &secrets),
            "snf file cat /c/...x"
        );
        assert_eq!(
            command_line(&strings(&["file", "upload", "my file", "/c/o"]), &[]),
            "snf file upload 'my file' /c/o"
        );
    }

    #[test]
    fn selections_follow_kamaki_slices_with_both_ends_included() {
        let pick = |text: &str| -> Vec<u64> {
            let selection = Selection::parse(text).unwrap_or_else(|e| panic!("{e}"));
            (11..=15).filter(|n| selection.contains(*n, 15)).collect()
        };
        assert_eq!(pick(""), [11, 12, 13, 14, 15]);
        assert_eq!(pick("12"), [12]);
        assert_eq!(pick("13:"), [13, 14, 15]);
        assert_eq!(pick(":12"), [11, 12]);
        assert_eq!(pick("12:14"), [12, 13, 14]);
        assert_eq!(pick("-2:"), [14, 15]);
        assert_eq!(pick("-1"), [15]);
        assert!(Selection::parse("x").is_err());
        assert!(Selection::parse("1:y").is_err());
    }

    #[test]
    fn limit_trims_the_oldest_and_counts_them() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let history = History::new(dir.path().join("h"));
        for i in 1..=5 {
            history
                .add(&format!("snf cmd {i}"), 3)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let entries = history.read().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries.trimmed, 2);
        assert_eq!(entries.lines, ["snf cmd 3", "snf cmd 4", "snf cmd 5"]);
        let shown = history
            .show(Selection::ALL, "cmd 4")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(shown, [(4, "snf cmd 4".to_owned())]);
        history.clean().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(history.path()).unwrap_or_default(),
            "0\n"
        );
        std::fs::write(history.path(), "not a count\nx\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(history.read().is_err());
    }
}
