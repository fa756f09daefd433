//! Which text encoding a Shapefile's DBF uses (docs/domain.md §7).
//!
//! GDAL alone reads an undeclared DBF as ISO-8859-1, which turns GBK text into mojibake, so
//! the decision is ours: the `.cpg` file first, then the DBF language-driver byte (LDID),
//! then UTF-8 if *every* text value decodes strictly as UTF-8 (multi-byte UTF-8 rarely
//! happens by chance), else GBK. The user can always override. A successful GBK decode
//! proves nothing (Latin-1 and Big5 bytes decode as GBK too), which is why GBK is the
//! fallback and never the evidence.

use encoding_rs::Encoding;

use crate::error::{Error, Result};

/// Why an encoding was chosen; shown by `info` so a planner can check the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingReason {
    /// The format is UTF-8 by definition (GeoPackage, GeoJSON, FileGDB…).
    Native,
    /// Declared by the `.cpg` sidecar file (its text).
    Cpg(String),
    /// Declared by the DBF language-driver id byte.
    LanguageDriver(u8),
    /// Undeclared; every text value is valid UTF-8.
    StrictUtf8,
    /// Undeclared and not UTF-8: the Chinese default.
    GbkFallback,
    /// Chosen by the user.
    User,
}

/// A decided text encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEncoding {
    /// The decoder.
    pub encoding: &'static Encoding,
    /// How it was decided.
    pub reason: EncodingReason,
}

impl TextEncoding {
    /// UTF-8 for formats that define it.
    pub fn native() -> Self {
        TextEncoding {
            encoding: encoding_rs::UTF_8,
            reason: EncodingReason::Native,
        }
    }

    /// `GBK (from .cpg "936")`: the line `info` prints.
    pub fn describe(&self) -> String {
        let why = match &self.reason {
            EncodingReason::Native => "defined by the format".to_string(),
            EncodingReason::Cpg(text) => format!("from .cpg \"{text}\""),
            EncodingReason::LanguageDriver(b) => {
                format!("from the DBF language driver byte 0x{b:02X}")
            }
            EncodingReason::StrictUtf8 => "undeclared; every text value is valid UTF-8".to_string(),
            EncodingReason::GbkFallback => {
                "undeclared and not UTF-8; assumed GBK (override with --encoding)".to_string()
            }
            EncodingReason::User => "chosen by the user".to_string(),
        };
        format!("{} ({why})", self.encoding.name())
    }

    /// Decodes bytes strictly: `None` when they are not valid in this encoding.
    pub fn decode(&self, bytes: &[u8]) -> Option<String> {
        self.encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
    }

    /// [`TextEncoding::decode`] of bytes the caller gives up: UTF-8 text becomes the
    /// string in place (no copy; the load decodes every value of every feature), other
    /// encodings are decoded as usual.
    pub fn decode_owned(&self, bytes: Vec<u8>) -> Option<String> {
        if self.encoding == encoding_rs::UTF_8 {
            String::from_utf8(bytes).ok()
        } else {
            self.decode(&bytes)
        }
    }
}

/// Resolves an encoding name as written in `.cpg` files, GDAL options or by users:
/// WHATWG labels (`gbk`, `utf-8`, `big5`…), code page numbers (`936`, `65001`, `1251`),
/// and the usual spellings (`CP936`, `ANSI 936`, `Big-5`, `8859_1`).
pub fn encoding_for_name(name: &str) -> Option<&'static Encoding> {
    let raw = name.trim();
    if let Some(enc) = Encoding::for_label(raw.as_bytes()) {
        return Some(enc);
    }
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(enc) = Encoding::for_label(compact.as_bytes()) {
        return Some(enc);
    }
    let digits = compact
        .trim_start_matches("ansi")
        .trim_start_matches("windows")
        .trim_start_matches("cp")
        .trim_start_matches("ms");
    match digits {
        "936" | "gb18030" => Some(encoding_rs::GBK),
        "950" => Some(encoding_rs::BIG5),
        "932" | "shiftjis" | "sjis" => Some(encoding_rs::SHIFT_JIS),
        "eucjp" => Some(encoding_rs::EUC_JP),
        "koi8r" => Some(encoding_rs::KOI8_R),
        "949" | "euckr" => Some(encoding_rs::EUC_KR),
        "65001" | "utf8" => Some(encoding_rs::UTF_8),
        "1200" | "utf16" => Some(encoding_rs::UTF_16LE),
        "874" => Some(encoding_rs::WINDOWS_874),
        "866" => Some(encoding_rs::IBM866),
        "88591" => Some(encoding_rs::WINDOWS_1252),
        "88592" => Some(encoding_rs::ISO_8859_2),
        d if d.len() == 4 && d.starts_with("125") => {
            Encoding::for_label(format!("windows-{d}").as_bytes())
        }
        _ => None,
    }
}

/// The encoding a DBF language-driver id declares, for the code pages a decoder exists for.
/// `0x00` (none) and `0x57` (the writer's ANSI code page, whatever it was) declare nothing.
pub fn encoding_for_ldid(ldid: u8) -> Option<&'static Encoding> {
    let code_page = match ldid {
        0x4D | 0x7A => "936",
        0x4F | 0x78 => "950",
        0x4E | 0x79 => "949",
        0x7B => "932",
        0x50 | 0x7C => "874",
        0x65 => "866",
        0x03 | 0x58 | 0x59 => "1252",
        0x7D => "1255",
        0x7E => "1256",
        0xC8 => "1250",
        0xC9 => "1251",
        0xCA => "1254",
        0xCB => "1253",
        0xCC => "1257",
        _ => return None,
    };
    encoding_for_name(code_page)
}

/// Decides a DBF's encoding from what the file declares and, failing that, its text.
///
/// `user` wins; then `cpg` (the `.cpg` text, if any); then `ldid`; then the values.
pub fn decide_dbf_encoding<'a>(
    user: Option<&str>,
    cpg: Option<&str>,
    ldid: Option<u8>,
    text_values: impl IntoIterator<Item = &'a [u8]>,
) -> Result<TextEncoding> {
    if let Some(name) = user {
        let encoding =
            encoding_for_name(name).ok_or_else(|| Error::UnknownEncoding(name.to_string()))?;
        return Ok(TextEncoding {
            encoding,
            reason: EncodingReason::User,
        });
    }
    if let Some(text) = cpg.map(str::trim).filter(|t| !t.is_empty())
        && let Some(encoding) = encoding_for_name(text)
    {
        return Ok(TextEncoding {
            encoding,
            reason: EncodingReason::Cpg(text.to_string()),
        });
    }
    if let Some(byte) = ldid
        && let Some(encoding) = encoding_for_ldid(byte)
    {
        return Ok(TextEncoding {
            encoding,
            reason: EncodingReason::LanguageDriver(byte),
        });
    }
    let all_utf8 = text_values
        .into_iter()
        .all(|bytes| std::str::from_utf8(bytes).is_ok());
    Ok(if all_utf8 {
        TextEncoding {
            encoding: encoding_rs::UTF_8,
            reason: EncodingReason::StrictUtf8,
        }
    } else {
        TextEncoding {
            encoding: encoding_rs::GBK,
            reason: EncodingReason::GbkFallback,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Taking the bytes gives what decoding a copy gives, strictness included.
    #[test]
    fn decoding_owned_bytes_equals_decoding_borrowed() {
        let utf8 = TextEncoding::native();
        let gbk = TextEncoding {
            encoding: encoding_rs::GBK,
            reason: EncodingReason::User,
        };
        let samples: [&[u8]; 4] = [
            b"plain",
            "凤庆县".as_bytes(),
            b"\xb7\xef\xc7\xec",
            b"\xff\xfe\x80",
        ];
        for enc in [&utf8, &gbk] {
            for bytes in samples {
                assert_eq!(
                    enc.decode_owned(bytes.to_vec()),
                    enc.decode(bytes),
                    "{bytes:?}"
                );
            }
        }
        assert_eq!(
            gbk.decode_owned(b"\xb7\xef\xc7\xec".to_vec()).as_deref(),
            Some("凤庆")
        );
        assert_eq!(utf8.decode_owned(b"\xb7\xef".to_vec()), None);
    }

    #[test]
    fn cpg_spellings() {
        for (name, enc) in [
            ("936", encoding_rs::GBK),
            ("CP936", encoding_rs::GBK),
            ("ANSI 936", encoding_rs::GBK),
            ("GBK", encoding_rs::GBK),
            ("gb2312", encoding_rs::GBK),
            ("UTF-8", encoding_rs::UTF_8),
            ("utf8", encoding_rs::UTF_8),
            ("65001", encoding_rs::UTF_8),
            ("Big-5", encoding_rs::BIG5),
            ("1251", encoding_rs::WINDOWS_1251),
            ("874", encoding_rs::WINDOWS_874),
            ("8859_1", encoding_rs::WINDOWS_1252),
            ("shiftjis", encoding_rs::SHIFT_JIS),
            ("EUC-KR", encoding_rs::EUC_KR),
            ("koi8r", encoding_rs::KOI8_R),
            ("latin2", encoding_rs::ISO_8859_2),
        ] {
            assert_eq!(encoding_for_name(name), Some(enc), "{name}");
        }
        assert_eq!(encoding_for_name("no-such-encoding"), None);
    }

    #[test]
    fn decision_order() {
        let gbk_bytes: &[u8] = &[0xB7, 0xEF, 0xC7, 0xEC]; // 凤庆 in GBK
        let utf8_bytes = "凤庆".as_bytes();
        let decide = |cpg, ldid, values: &[&[u8]]| {
            decide_dbf_encoding(None, cpg, ldid, values.iter().copied()).unwrap()
        };
        assert_eq!(
            decide(Some("UTF-8"), Some(0x7A), &[gbk_bytes]).reason,
            EncodingReason::Cpg("UTF-8".into())
        );
        assert_eq!(
            decide(None, Some(0x7A), &[utf8_bytes]).encoding,
            encoding_rs::GBK
        );
        assert_eq!(
            decide(None, None, &[utf8_bytes, b"ascii"]).reason,
            EncodingReason::StrictUtf8
        );
        assert_eq!(
            decide(None, Some(0), &[utf8_bytes, gbk_bytes]).reason,
            EncodingReason::GbkFallback
        );
        let user = decide_dbf_encoding(Some("big5"), Some("936"), None, []).unwrap();
        assert_eq!(user.encoding, encoding_rs::BIG5);
        assert!(decide_dbf_encoding(Some("klingon"), None, None, []).is_err());
        assert_eq!(
            TextEncoding::native().decode(gbk_bytes),
            None,
            "GBK bytes are not UTF-8"
        );
    }
}
