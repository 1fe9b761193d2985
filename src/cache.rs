//! The per-file facts cache: a warm re-scan reuses the [`FileFacts`] of every
//! unchanged file instead of reading and parsing it again.
//!
//! **One pack per scan root.** The cache directory (`$XDG_CACHE_HOME/tapestry`,
//! else `~/.cache/tapestry`, or `--cache-dir`) holds one file per canonical
//! scan root, `<xxh3 of the root>.facts`, with an entry per source file:
//! `(path, language, size, mtime, content hash) → facts`, sorted by path.
//! One pack read with one `read` beats one file per entry: opening and reading
//! 10,000 entry files of 420 bytes costs about 200 ms of system time here, a
//! 4.2 MB pack 3 ms (BENCHMARKS.md), and a warm re-scan's whole budget is a
//! tenth of a cold one.
//!
//! **Validity.** A file whose size and mtime equal its entry's is reused
//! without being read, like git's index and cargo's fingerprints; one whose
//! stat changed is read and hashed (xxh3-128, which runs at memory speed), and
//! reused when the content is unchanged (a `git checkout` or a CI cache
//! restore touches every mtime); only a changed file is parsed. The key is the
//! path *and* the content because facts depend on both (test-path flags,
//! diagnostics). A file modified within [`RACY_WINDOW_NS`] of the scan start
//! could change again inside the same mtime tick after it was read, so its
//! stat is not trusted next time and its content is hashed ("racy clean" in
//! git's `Documentation/technical/racy-git.txt`).
//!
//! **What invalidates everything**: the pack's key, which is the tapestry
//! version (overridable with `TAPESTRY_CACHE_VERSION`, for tests), the pack
//! format and a hash of every tree-sitter query, so a build with a changed
//! query never reads facts of the old one.
//!
//! **Safety.** The cache lives outside the scanned tree (a cache directory
//! inside it is refused), so a pull request cannot plant entries that hide its
//! imports; content hashes are seeded with a random per-pack seed, so a file
//! cannot be crafted to collide with a cached one either. Writes are atomic (a
//! temporary file in the cache directory, then a rename), so concurrent runs
//! each leave a whole pack and a reader never sees half of one. A pack that is
//! truncated, corrupt (checksum), of another format, version or root is
//! ignored and rebuilt: the cache can never fail a scan, only make it slower.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64};

use crate::model::{Extracted, FileFacts, Lang, SourceFile};

/// Bumped whenever the pack layout or the shape of `FileFacts` changes.
const FORMAT: u32 = 1;
const MAGIC: [u8; 8] = *b"TAPFACTS";
/// magic, format (u32 LE), checksum of the body (u64 LE).
const HEADER_LEN: usize = 8 + 4 + 8;

/// Overrides the version string in the key (tests simulate an upgrade with it).
pub const VERSION_ENV: &str = "TAPESTRY_CACHE_VERSION";

/// A file modified this close to the scan start (or after it) may change
/// again within one mtime tick after it was read: its stat is not trusted.
/// Two seconds also covers file systems with coarse timestamps.
pub const RACY_WINDOW_NS: u64 = 2_000_000_000;

/// Everything that decides a file's facts besides its path and bytes: the
/// queries, the extractors and the facts' own shape. Their text is part of
/// the key, so a build that extracts differently (or lays `FileFacts` out
/// differently: postcard is not self-describing) never reads an old entry,
/// even when the version number did not move.
const EXTRACTOR_SOURCES: &[&str] = &[
    include_str!("../queries/javascript/calls.scm"),
    include_str!("../queries/javascript/endpoints.scm"),
    include_str!("../queries/javascript/imports.scm"),
    include_str!("../queries/javascript/queues.scm"),
    include_str!("../queries/javascript/shapes.scm"),
    include_str!("../queries/javascript/tables.scm"),
    include_str!("../queries/python/calls.scm"),
    include_str!("../queries/python/endpoints.scm"),
    include_str!("../queries/python/imports.scm"),
    include_str!("../queries/python/queues.scm"),
    include_str!("../queries/python/shapes.scm"),
    include_str!("../queries/python/tables.scm"),
    include_str!("../queries/typescript/imports.scm"),
    include_str!("model.rs"),
    include_str!("diagnostic.rs"),
    include_str!("lang/arch.rs"),
    include_str!("lang/finder.rs"),
    include_str!("lang/foreign.rs"),
    include_str!("lang/mod.rs"),
    include_str!("lang/py_alembic.rs"),
    include_str!("lang/py_arch.rs"),
    include_str!("lang/py_argparse.rs"),
    include_str!("lang/py_arq.rs"),
    include_str!("lang/py_celery.rs"),
    include_str!("lang/py_classes.rs"),
    include_str!("lang/py_connexion.rs"),
    include_str!("lang/py_ctor.rs"),
    include_str!("lang/py_docs_urls.rs"),
    include_str!("lang/py_envlib.rs"),
    include_str!("lang/py_firestore.rs"),
    include_str!("lang/py_graphql.rs"),
    include_str!("lang/py_imports.rs"),
    include_str!("lang/py_mongo.rs"),
    include_str!("lang/py_natives.rs"),
    include_str!("lang/py_raw.rs"),
    include_str!("lang/py_restx.rs"),
    include_str!("lang/py_routers.rs"),
    include_str!("lang/py_run.rs"),
    include_str!("lang/py_shapes.rs"),
    include_str!("lang/py_tablename.rs"),
    include_str!("lang/py_views.rs"),
    include_str!("lang/python.rs"),
    include_str!("lang/query.rs"),
    include_str!("lang/rs_arch.rs"),
    include_str!("lang/rs_enums.rs"),
    include_str!("lang/rs_raw.rs"),
    include_str!("lang/rust.rs"),
    include_str!("lang/rust_depth.rs"),
    include_str!("lang/ts_arch.rs"),
    include_str!("lang/ts_builders.rs"),
    include_str!("lang/ts_bull.rs"),
    include_str!("lang/ts_class_routers.rs"),
    include_str!("lang/ts_classes.rs"),
    include_str!("lang/ts_config.rs"),
    include_str!("lang/ts_di.rs"),
    include_str!("lang/ts_natives.rs"),
    include_str!("lang/ts_nest.rs"),
    include_str!("lang/ts_next.rs"),
    include_str!("lang/ts_raw.rs"),
    include_str!("lang/ts_requests.rs"),
    include_str!("lang/ts_rtk.rs"),
    include_str!("lang/ts_replies.rs"),
    include_str!("lang/ts_temporal.rs"),
    include_str!("lang/ts_shapes.rs"),
    include_str!("lang/ts_gaps.rs"),
    include_str!("lang/ts_hapi.rs"),
    include_str!("lang/ts_imports.rs"),
    include_str!("lang/ts_graphql.rs"),
    include_str!("lang/ts_mongoose.rs"),
    include_str!("lang/ts_firestore.rs"),
    include_str!("lang/ts_typeorm.rs"),
    include_str!("lang/ts_words.rs"),
    include_str!("lang/ts_dynamo.rs"),
    include_str!("lang/ts_methods.rs"),
    include_str!("lang/ts_moleculer.rs"),
    include_str!("lang/typescript.rs"),
];

/// The default cache directory: `$XDG_CACHE_HOME/tapestry`, else `~/.cache/tapestry`.
pub fn default_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").and_then(absolute) {
        return Some(xdg.join("tapestry"));
    }
    std::env::var_os("HOME").and_then(absolute).map(|h| h.join(".cache").join("tapestry"))
}

/// The key every entry of a pack depends on.
fn key() -> String {
    let version = std::env::var(VERSION_ENV).unwrap_or_else(|_| env!("CARGO_PKG_VERSION").to_string());
    let extractors = xxh3_64(EXTRACTOR_SOURCES.concat().as_bytes());
    format!("tapestry {version}; format {FORMAT}; extractors {extractors:016x}")
}

/// One file's cached facts, as stored.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    rel: String,
    lang: Lang,
    size: u64,
    mtime_ns: Option<u64>,
    /// The stat was taken long enough before the scan to be trusted next time.
    stat_trusted: bool,
    hash: u128,
    facts: FileFacts,
}

/// [`Entry`] borrowed from the scan's results, serialized identically.
#[derive(Serialize)]
struct EntryRef<'a> {
    rel: &'a str,
    lang: Lang,
    size: u64,
    mtime_ns: Option<u64>,
    stat_trusted: bool,
    hash: u128,
    facts: &'a FileFacts,
}

#[derive(Serialize, Deserialize)]
struct Pack<E> {
    key: String,
    root: String,
    seed: u64,
    entries: Vec<E>,
}

/// What became of one file: how its facts were obtained and what to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Size and mtime matched a trusted entry: not read.
    StatHit,
    /// Read and hashed; the content matched the entry: not parsed.
    HashHit,
    /// Read and parsed.
    Miss,
}

/// The cache-related facts of one extracted file.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub outcome: Outcome,
    /// Content hash; `None` when the file could not be read (never cached).
    hash: Option<u128>,
    stat_trusted: bool,
}

/// How many files were reused, by how, and whether the pack was rewritten.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub stat_hits: usize,
    pub hash_hits: usize,
    pub misses: usize,
}

/// An open cache for one scan root: the entries of its pack, taken one by one.
pub struct Store {
    path: PathBuf,
    key: String,
    root: String,
    seed: u64,
    old: Vec<Entry>,
    /// Why the previous pack was not used, for a note on stderr.
    pub discarded: Option<String>,
}

/// Why no cache is used for this scan (printed as a note, never an error).
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    #[error("cache directory {0} is inside the scanned tree: not used (pass --cache-dir outside it or --no-cache)")]
    InsideTree(PathBuf),
    #[error("cannot resolve the scan root {0}: {1}")]
    Root(PathBuf, std::io::Error),
}

impl Store {
    /// Open the pack of `root` in `dir`. A missing, corrupt or foreign pack
    /// gives an empty store (with `discarded` saying why, except when missing).
    pub fn open(dir: &Path, root: &Path) -> Result<Store, Unusable> {
        let root = std::fs::canonicalize(root).map_err(|e| Unusable::Root(root.to_path_buf(), e))?;
        if absolute(dir).starts_with(&root) {
            return Err(Unusable::InsideTree(dir.to_path_buf()));
        }
        let root = root.to_string_lossy().into_owned();
        let path = dir.join(format!("{:016x}.facts", xxh3_64(root.as_bytes())));
        let key = key();
        let mut store = Store { path, key, root, seed: random_seed(), old: Vec::new(), discarded: None };
        match std::fs::read(&store.path) {
            Ok(bytes) => match store.decode(&bytes) {
                Ok(pack) => {
                    store.seed = pack.seed;
                    store.old = pack.entries;
                    store.old.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
                }
                Err(why) => store.discarded = Some(format!("{}: {why}; rebuilt", store.path.display())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => store.discarded = Some(format!("{}: cannot read ({e}); rebuilt", store.path.display())),
        }
        Ok(store)
    }

    /// The pack file of this store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn decode(&self, bytes: &[u8]) -> Result<Pack<Entry>, &'static str> {
        if bytes.len() < HEADER_LEN || bytes[..8] != MAGIC {
            return Err("not a tapestry cache");
        }
        let format = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or_default());
        if format != FORMAT {
            return Err("another cache format");
        }
        let checksum = u64::from_le_bytes(bytes[12..HEADER_LEN].try_into().unwrap_or_default());
        let body = &bytes[HEADER_LEN..];
        if xxh3_64(body) != checksum {
            return Err("corrupt (checksum mismatch)");
        }
        let pack: Pack<Entry> = postcard::from_bytes(body).map_err(|_| "corrupt (cannot decode)")?;
        if pack.key != self.key {
            return Err("written by another tapestry version");
        }
        if pack.root != self.root {
            return Err("belongs to another scan root");
        }
        Ok(pack)
    }

    /// The old entry of each source (both sorted by path), moved out of the store.
    pub fn take_entries(&mut self, sources: &[SourceFile]) -> Vec<Option<Entry>> {
        let mut old = std::mem::take(&mut self.old).into_iter().peekable();
        sources
            .iter()
            .map(|s| {
                while old.next_if(|e| e.rel < s.rel).is_some() {}
                old.next_if(|e| e.rel == s.rel)
            })
            .collect()
    }

    /// The seed content hashes are taken with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Write the pack for these results atomically (files that could not be read are left out).
    pub fn save(&self, files: &[Extracted], metas: &[Meta]) -> std::io::Result<()> {
        let entries: Vec<EntryRef> = files
            .iter()
            .zip(metas)
            .filter_map(|(f, m)| {
                Some(EntryRef {
                    rel: &f.file.rel,
                    lang: f.file.lang,
                    size: f.file.size,
                    mtime_ns: f.file.mtime_ns,
                    stat_trusted: m.stat_trusted,
                    hash: m.hash?,
                    facts: &f.facts,
                })
            })
            .collect();
        let pack = Pack { key: self.key.clone(), root: self.root.clone(), seed: self.seed, entries };
        let body = postcard::to_stdvec(&pack).map_err(std::io::Error::other)?;
        let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
        bytes.extend_from_slice(&MAGIC);
        bytes.extend_from_slice(&FORMAT.to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let mut tmp = tempfile::Builder::new().prefix(".tapestry-").suffix(".tmp").tempfile_in(dir)?;
        tmp.write_all(&bytes)?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Whether the pack must be rewritten: anything read, or an entry gone.
pub fn dirty(metas: &[Meta], old_entries: usize) -> bool {
    let reused = metas.iter().filter(|m| m.outcome == Outcome::StatHit).count();
    reused != metas.len() || reused != old_entries
}

/// Count outcomes.
pub fn stats(metas: &[Meta]) -> CacheStats {
    let mut s = CacheStats::default();
    for m in metas {
        match m.outcome {
            Outcome::StatHit => s.stat_hits += 1,
            Outcome::HashHit => s.hash_hits += 1,
            Outcome::Miss => s.misses += 1,
        }
    }
    s
}

/// How the extraction of one file uses the cache.
#[derive(Debug, Clone, Copy)]
pub struct Lookup {
    pub seed: u64,
    /// Scan start, nanoseconds since the Unix epoch (for the racy window).
    pub started_ns: u64,
}

impl Lookup {
    /// The facts of `file`: from its entry when the stat or the content says
    /// it is unchanged, else from `extract(bytes)`. `read` reads the file.
    pub fn facts(
        &self,
        file: &SourceFile,
        old: Option<Entry>,
        read: impl FnOnce() -> std::io::Result<Vec<u8>>,
        extract: impl FnOnce(&[u8]) -> FileFacts,
        unreadable: impl FnOnce(std::io::Error) -> FileFacts,
    ) -> (FileFacts, Meta) {
        let old = old.filter(|e| e.lang == file.lang);
        let stat_trusted = file.mtime_ns.is_some_and(|m| m.saturating_add(RACY_WINDOW_NS) < self.started_ns);
        if let Some(e) = old.as_ref().filter(|e| e.stat_trusted && e.size == file.size && e.mtime_ns == file.mtime_ns) {
            let meta = Meta { outcome: Outcome::StatHit, hash: Some(e.hash), stat_trusted: true };
            return (old.map(|e| e.facts).unwrap_or_default(), meta);
        }
        let bytes = match read() {
            Ok(b) => b,
            Err(e) => return (unreadable(e), Meta { outcome: Outcome::Miss, hash: None, stat_trusted: false }),
        };
        let hash = xxh3_128_with_seed(&bytes, self.seed);
        // The stat taken by the walk describes these bytes only if the size agrees.
        let stat_trusted = stat_trusted && bytes.len() as u64 == file.size;
        match old.filter(|e| e.hash == hash) {
            Some(e) => (e.facts, Meta { outcome: Outcome::HashHit, hash: Some(hash), stat_trusted }),
            None => (extract(&bytes), Meta { outcome: Outcome::Miss, hash: Some(hash), stat_trusted }),
        }
    }
}

/// Nanoseconds since the Unix epoch, now.
pub fn now_ns() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
}

fn random_seed() -> u64 {
    // std's RandomState is seeded from the OS's random source.
    let mut h = RandomState::new().build_hasher();
    h.write_u64(now_ns());
    h.finish()
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    // Not created yet: canonicalize the nearest existing ancestor.
    let mut existing = p;
    let mut tail = Vec::new();
    while let Some(parent) = existing.parent() {
        tail.push(existing.file_name().unwrap_or_default().to_os_string());
        existing = parent;
        if let Ok(c) = std::fs::canonicalize(if existing.as_os_str().is_empty() { Path::new(".") } else { existing }) {
            return tail.iter().rev().fold(c, |acc, t| acc.join(t));
        }
    }
    std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
}

/// Create the cache directory readable by its owner only (facts describe private code).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts come back from the cache as they went in. postcard is not
    /// self-describing: a field skipped when empty (`skip_serializing_if`) would
    /// shift every later field, so a warm scan would read other facts.
    #[test]
    fn facts_survive_a_round_trip_with_empty_optional_fields() {
        use crate::model::{FileFacts, Part, RawArgCall, RawCall, RawWrapper};
        let mut facts = FileFacts::default();
        let url = vec![Part::Ref("u".into())];
        facts.arch.arg_calls.push(RawArgCall {
            callee: "getName".into(),
            args: vec![url.clone()],
            kwargs: Vec::new(),
            methods: Vec::new(),
            props: Vec::new(),
            line: 7,
        });
        facts.arch.arg_calls.push(RawArgCall {
            callee: "post".into(),
            args: vec![],
            kwargs: vec![("url".into(), url.clone())],
            methods: vec![(1, "DELETE".into())],
            props: vec![(0, "url".into(), vec![Part::Lit("/x".into())])],
            line: 9,
        });
        let call = RawCall { client: "fetch".into(), method: "GET".into(), url, line: 3 };
        facts.arch.wrappers.push(RawWrapper {
            name: "getName".into(),
            param: 0,
            call,
            method_param: None,
            method_arg: None,
            at: 0,
            key: None,
            params: vec![("url".into(), Vec::new())],
            choice: None,
            forwards: None,
            joined: true,
        });
        // A stub with no optional field, then one named by a constant: nothing shifts.
        facts.arch.grpc.push(crate::model::RawGrpc {
            service: "Users".into(),
            server: false,
            line: 4,
            within: None,
            rpc: None,
            constant: None,
            class: None,
        });
        facts.arch.grpc.push(crate::model::RawGrpc::by_constant("USERS_SERVICE_NAME".into(), 5, None));
        let bytes = postcard::to_stdvec(&facts).unwrap();
        let back: FileFacts = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.arch, facts.arch);
    }

    /// Every extractor source and query is in the cache key: a build whose
    /// extraction changed never reads facts of the old one (the version stays
    /// 0.1.0 between commits).
    #[test]
    fn the_key_covers_every_extractor_source() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["src/lang", "queries/javascript", "queries/python", "queries/typescript"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if matches!(p.extension().and_then(|x| x.to_str()), Some("rs" | "scm"))
                    && !p.to_string_lossy().ends_with("_replaced.scm")
                {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 20, "{}", files.len());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(EXTRACTOR_SOURCES.contains(&text.as_str()), "{} is not in EXTRACTOR_SOURCES", f.display());
        }
    }

    fn source(rel: &str, size: u64, mtime_ns: Option<u64>) -> SourceFile {
        SourceFile { abs: PathBuf::from(rel), rel: rel.to_string(), lang: Lang::Python, size, mtime_ns }
    }

    fn entry(rel: &str, size: u64, mtime_ns: Option<u64>, hash: u128, lines: u32) -> Entry {
        let facts = FileFacts { lines, ..FileFacts::default() };
        Entry { rel: rel.to_string(), lang: Lang::Python, size, mtime_ns, stat_trusted: true, hash, facts }
    }

    const NOW: u64 = 100 * RACY_WINDOW_NS;

    fn run(file: &SourceFile, old: Option<Entry>, bytes: &[u8]) -> (FileFacts, Meta) {
        let lookup = Lookup { seed: 7, started_ns: NOW };
        let owned = bytes.to_vec();
        lookup.facts(
            file,
            old,
            || Ok(owned),
            |b| FileFacts { lines: u32::try_from(b.len()).unwrap(), ..FileFacts::default() },
            |_| FileFacts::default(),
        )
    }

    #[test]
    fn unchanged_stat_is_not_read() {
        let f = source("a.py", 3, Some(1));
        let (facts, meta) = run(&f, Some(entry("a.py", 3, Some(1), 0, 42)), b"xyz");
        assert_eq!((facts.lines, meta.outcome), (42, Outcome::StatHit));
    }

    #[test]
    fn touched_but_same_content_is_not_parsed() {
        let f = source("a.py", 3, Some(2));
        let hash = xxh3_128_with_seed(b"xyz", 7);
        let (facts, meta) = run(&f, Some(entry("a.py", 3, Some(1), hash, 42)), b"xyz");
        assert_eq!((facts.lines, meta.outcome, meta.stat_trusted), (42, Outcome::HashHit, true));
    }

    #[test]
    fn changed_content_is_parsed_and_racy_stats_are_not_trusted() {
        let f = source("a.py", 3, Some(NOW - 1));
        let mut old = entry("a.py", 3, Some(NOW - 1), 0, 42);
        old.stat_trusted = false;
        let (facts, meta) = run(&f, Some(old), b"xyz");
        assert_eq!((facts.lines, meta.outcome, meta.stat_trusted), (3, Outcome::Miss, false));
    }

    #[test]
    fn entries_are_matched_by_path() {
        let sources = [source("b.py", 1, None), source("c.py", 1, None), source("d.py", 1, None)];
        let mut store = Store {
            path: PathBuf::new(),
            key: key(),
            root: String::new(),
            seed: 0,
            old: vec![entry("a.py", 1, None, 0, 1), entry("c.py", 1, None, 0, 3), entry("d.py", 1, None, 0, 4)],
            discarded: None,
        };
        let got: Vec<Option<u32>> =
            store.take_entries(&sources).into_iter().map(|e| e.map(|e| e.facts.lines)).collect();
        assert_eq!(got, vec![None, Some(3), Some(4)]);
    }
}
