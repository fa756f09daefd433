//! BagIt bags (RFC 8493, BagIt-Version 1.0): a folder whose `data/` holds the payload and
//! whose tag files say what the payload is and what every file's SHA-256 is, so a reviewer
//! can check with any BagIt tool — not only ours — that nothing was changed, lost or slipped
//! in on the way.
//!
//! Generic: [`write_tag_files`] knows nothing of village plans; it hashes whatever `data/`
//! holds. [`verify_bag`] checks a bag folder or a `.zip` of one (the bag at the archive's
//! root or in its single top folder) and names every file that changed, is missing or was
//! added; a folder that is not a bag at all is [`Error::NotABag`].
//!
//! Only SHA-256 manifests are written and checked: RFC 8493 §2.4 recommends SHA-512 or
//! SHA-256 and allows a bag to carry one of them.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The payload folder (RFC 8493 §2.1.2).
pub const PAYLOAD_DIR: &str = "data";
/// The bag declaration, byte for byte as RFC 8493 §2.1.1 has it for version 1.0.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
/// Payload manifest.
pub const MANIFEST: &str = "manifest-sha256.txt";
/// Tag manifest.
pub const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
/// Bag metadata.
pub const BAG_INFO: &str = "bag-info.txt";

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 and length of everything `reader` yields.
fn hash_reader(mut reader: impl Read, name: &Path) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut length = 0u64;
    loop {
        let n = reader.read(&mut buffer).map_err(|e| Error::io(name, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        length += n as u64;
    }
    Ok((hex(&hasher.finalize()), length))
}

/// A manifest path as RFC 8493 §2.1.3 writes it: `%`, CR and LF percent-encoded.
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The inverse of [`encode_path`] (either case of hex digits, as the RFC allows).
pub fn decode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("25") => out.push('%'),
            Some("0D") => out.push('\r'),
            Some("0A") => out.push('\n'),
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// Every file under `dir`, as `/`-separated paths relative to `base`, sorted.
fn files_under(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            files_under(base, &path, out)?;
        } else {
            let relative = path.strip_prefix(base).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    out.sort();
    Ok(())
}

/// Writes the tag files of the bag at `bag`, whose payload is already in `bag/data/`:
/// `bagit.txt`, `manifest-sha256.txt`, `bag-info.txt` (the given `info` lines, in order,
/// then `Payload-Oxum`) and `tagmanifest-sha256.txt` over the other three. Returns the
/// number of payload files.
pub fn write_tag_files(bag: &Path, info: &[(String, String)]) -> Result<usize> {
    let payload = bag.join(PAYLOAD_DIR);
    let mut files = Vec::new();
    files_under(bag, &payload, &mut files)?;
    let mut manifest = String::new();
    let mut octets = 0u64;
    for name in &files {
        let path = bag.join(name);
        let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let (digest, length) = hash_reader(file, &path)?;
        octets += length;
        manifest.push_str(&format!("{digest}  {}\n", encode_path(name)));
    }
    let mut bag_info = String::new();
    for (label, value) in info {
        // A value is one line: RFC 8493 §2.2.2 folds long values, we never need to.
        let value = value.replace(['\r', '\n'], " ");
        bag_info.push_str(&format!("{label}: {value}\n"));
    }
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{}\n", files.len()));
    let tags = [
        ("bagit.txt", BAGIT_TXT.to_string()),
        (BAG_INFO, bag_info),
        (MANIFEST, manifest),
    ];
    let mut tag_manifest = String::new();
    for (name, text) in &tags {
        write_file(&bag.join(name), text.as_bytes())?;
        tag_manifest.push_str(&format!("{}  {name}\n", sha256_hex(text.as_bytes())));
    }
    write_file(&bag.join(TAG_MANIFEST), tag_manifest.as_bytes())?;
    Ok(files.len())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

/// Zips the bag folder `bag` into `zip_path` (Deflate), the files under one top folder
/// named as the bag, as BagIt tools expect of a serialised bag (RFC 8493 §4.2).
pub fn zip_bag(bag: &Path, zip_path: &Path) -> Result<()> {
    let top = bag
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bag".into());
    let mut files = Vec::new();
    files_under(bag, bag, &mut files)?;
    let file = std::fs::File::create(zip_path).map_err(|e| Error::io(zip_path, e))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let fail = |e: zip::result::ZipError| Error::write(zip_path, e.to_string());
    for name in &files {
        zip.start_file(format!("{top}/{name}"), options)
            .map_err(fail)?;
        let path = bag.join(name);
        let mut source = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        std::io::copy(&mut source, &mut zip).map_err(|e| Error::io(zip_path, e))?;
    }
    let file = zip.finish().map_err(fail)?;
    file.sync_all().map_err(|e| Error::io(zip_path, e))
}

/// What [`verify_bag`] found in a readable bag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagCheck {
    /// Files of the manifests checked (payload and tag files).
    pub checked: usize,
    /// Listed in a manifest with another checksum.
    pub changed: Vec<String>,
    /// Listed in a manifest but not in the bag.
    pub missing: Vec<String>,
    /// In the bag (under `data/`, or a tag file) but in no manifest.
    pub added: Vec<String>,
}

impl BagCheck {
    /// Nothing changed, missing or added.
    pub fn is_intact(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.added.is_empty()
    }
}

/// One bag's content as read from a folder or an archive: each file's SHA-256, and the
/// text of the tag files verification reads.
struct BagContent {
    digests: BTreeMap<String, String>,
    texts: BTreeMap<String, Vec<u8>>,
}

impl BagContent {
    fn is_read_as_text(name: &str) -> bool {
        name == "bagit.txt" || name == MANIFEST || name == TAG_MANIFEST
    }

    fn of_folder(bag: &Path) -> Result<Self> {
        let mut files = Vec::new();
        files_under(bag, bag, &mut files)?;
        let mut content = BagContent {
            digests: BTreeMap::new(),
            texts: BTreeMap::new(),
        };
        for name in files {
            let path = bag.join(&name);
            if Self::is_read_as_text(&name) {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                content.digests.insert(name.clone(), sha256_hex(&bytes));
                content.texts.insert(name, bytes);
            } else {
                let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                let (digest, _) = hash_reader(file, &path)?;
                content.digests.insert(name, digest);
            }
        }
        Ok(content)
    }

    fn of_zip(path: &Path) -> Result<Self> {
        let not_a_bag = |detail: String| Error::NotABag {
            path: path.to_path_buf(),
            detail,
        };
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut archive =
            zip::ZipArchive::new(file).map_err(|e| not_a_bag(format!("not a zip file: {e}")))?;
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.map(|n| n.into_owned()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| not_a_bag(format!("unreadable entry name: {e}")))?;
        let prefix = if names.iter().any(|n| n == "bagit.txt") {
            String::new()
        } else {
            let tops: Vec<&str> = names
                .iter()
                .filter_map(|n| n.strip_suffix("/bagit.txt"))
                .filter(|top| !top.contains('/'))
                .collect();
            match tops.as_slice() {
                [top] => format!("{top}/"),
                _ => {
                    return Err(not_a_bag(
                        "no bagit.txt at the archive's root or in its single top folder".into(),
                    ));
                }
            }
        };
        let mut content = BagContent {
            digests: BTreeMap::new(),
            texts: BTreeMap::new(),
        };
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| not_a_bag(format!("entry {i}: {e}")))?;
            if entry.is_dir() {
                continue;
            }
            let full = entry
                .name()
                .map_err(|e| not_a_bag(format!("entry {i}: {e}")))?
                .into_owned();
            let Some(name) = full.strip_prefix(&prefix).map(str::to_string) else {
                content.digests.insert(full, String::new());
                continue;
            };
            let shown = PathBuf::from(format!("{}!{full}", path.display()));
            if Self::is_read_as_text(&name) {
                let mut bytes = Vec::new();
                entry
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io(&shown, e))?;
                content.digests.insert(name.clone(), sha256_hex(&bytes));
                content.texts.insert(name, bytes);
            } else {
                let (digest, _) = hash_reader(&mut entry, &shown)?;
                content.digests.insert(name, digest);
            }
        }
        Ok(content)
    }
}

/// Reads a manifest: `<hex>  <path>` per line (any run of spaces or tabs between), paths
/// percent-decoded.
fn parse_manifest(path: &Path, name: &str, bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let not_a_bag = |detail: String| Error::NotABag {
        path: path.to_path_buf(),
        detail,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| not_a_bag(format!("{name} is not UTF-8")))?;
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (digest, file) = line
            .split_once([' ', '\t'])
            .map(|(d, f)| (d, f.trim_start_matches([' ', '\t'])))
            .filter(|(d, f)| {
                d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()) && !f.is_empty()
            })
            .ok_or_else(|| {
                not_a_bag(format!(
                    "{name}, line {}: not '<sha256>  <path>'",
                    number + 1
                ))
            })?;
        entries.push((digest.to_ascii_lowercase(), decode_path(file)));
    }
    Ok(entries)
}

/// Checks the bag at `path` (a folder, or a `.zip` of one): every file of
/// `manifest-sha256.txt` and `tagmanifest-sha256.txt` against its checksum, and every
/// payload or tag file against the manifests. [`Error::NotABag`] when `path` is no bag
/// (no `bagit.txt` declaring a version, no SHA-256 manifest, a manifest that cannot be
/// read).
pub fn verify_bag(path: &Path) -> Result<BagCheck> {
    let not_a_bag = |detail: &str| Error::NotABag {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let content = if path.is_dir() {
        BagContent::of_folder(path)?
    } else if path.is_file() {
        BagContent::of_zip(path)?
    } else {
        return Err(Error::NotFound {
            path: path.to_path_buf(),
        });
    };
    let declaration = content
        .texts
        .get("bagit.txt")
        .ok_or_else(|| not_a_bag("no bagit.txt"))?;
    if !String::from_utf8_lossy(declaration).starts_with("BagIt-Version:") {
        return Err(not_a_bag("bagit.txt does not declare a BagIt-Version"));
    }
    let manifest = content
        .texts
        .get(MANIFEST)
        .ok_or_else(|| not_a_bag("no manifest-sha256.txt (this verifier checks SHA-256)"))?;
    let payload = parse_manifest(path, MANIFEST, manifest)?;
    let tags = match content.texts.get(TAG_MANIFEST) {
        Some(bytes) => parse_manifest(path, TAG_MANIFEST, bytes)?,
        None => Vec::new(),
    };
    let mut check = BagCheck::default();
    for (digest, name) in payload.iter().chain(&tags) {
        check.checked += 1;
        match content.digests.get(name) {
            None => check.missing.push(name.clone()),
            Some(found) if found != digest => check.changed.push(name.clone()),
            Some(_) => {}
        }
    }
    let listed: std::collections::BTreeSet<&str> = payload
        .iter()
        .chain(&tags)
        .map(|(_, name)| name.as_str())
        .collect();
    for name in content.digests.keys() {
        if listed.contains(name.as_str()) || name == TAG_MANIFEST {
            continue;
        }
        // Tag files outside a tag manifest are allowed (RFC 8493 §2.2.1), but a bag with
        // one lists its own tag files there, so an unlisted one came later.
        if name.starts_with("data/") || !tags.is_empty() {
            check.added.push(name.clone());
        }
    }
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_round_trips_cr_lf_and_percent() {
        let name = "data/a%b\r\nc.txt";
        assert_eq!(encode_path(name), "data/a%25b%0D%0Ac.txt");
        assert_eq!(decode_path(&encode_path(name)), name);
        assert_eq!(decode_path("data/x%0a%41"), "data/x\n%41");
    }
}
