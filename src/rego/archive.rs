//! A bundle as a `.tar.gz`, the shape `opa build` writes and `opa run -b` reads: each module at
//! its path, the data at `data.json` (a `data.json` in a directory is placed at that
//! directory's data path). Reading is bounded: the packed size, the unpacked size, the module
//! count and each name; anything else in the archive (a `.manifest`, signatures) is skipped.

use super::bundle::{RegoBundle, RegoModule, MAX_PAGE_MODULES};
use super::link::check_module_name;

/// The most bytes an archive may unpack to.
pub const MAX_UNPACKED_BYTES: usize = 4 * 1024 * 1024;

const BLOCK: usize = 512;

/// The bundle packed as a gzip'd tar.
pub fn pack(bundle: &RegoBundle) -> Result<Vec<u8>, String> {
    let mut tar = Vec::new();
    let mut files: Vec<(&str, &str)> = bundle
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.text.as_str()))
        .collect();
    if !bundle.data.trim().is_empty() {
        files.push(("data.json", bundle.data.as_str()));
    }
    for (name, text) in files {
        if name.len() > 100 {
            return Err(format!(
                "{name}: a name in a bundle archive has at most 100 bytes"
            ));
        }
        let mut header = [0u8; BLOCK];
        header[..name.len()].copy_from_slice(name.as_bytes());
        put_octal(&mut header[100..108], 0o644);
        put_octal(&mut header[108..116], 0);
        put_octal(&mut header[116..124], 0);
        put_octal(&mut header[124..136], text.len() as u64);
        put_octal(&mut header[136..148], 0);
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[148..156].fill(b' ');
        let sum: u64 = header.iter().map(|b| u64::from(*b)).sum();
        put_octal(&mut header[148..155], sum);
        tar.extend_from_slice(&header);
        tar.extend_from_slice(text.as_bytes());
        tar.resize(tar.len().next_multiple_of(BLOCK), 0);
    }
    tar.resize(tar.len() + 2 * BLOCK, 0);
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    gz.extend(miniz_oxide::deflate::compress_to_vec(&tar, 9));
    gz.extend(crc32(&tar).to_le_bytes());
    gz.extend((tar.len() as u32).to_le_bytes());
    Ok(gz)
}

/// The bundle an archive holds, or what is wrong with it (named `shown`).
pub fn unpack(shown: &str, bytes: &[u8]) -> Result<RegoBundle, String> {
    let fail = |m: String| format!("{shown}: {m}");
    let tar = gunzip(bytes).map_err(fail)?;
    let mut modules = Vec::new();
    let mut data = serde_json::json!({});
    let mut has_data = false;
    let mut at = 0;
    while at + BLOCK <= tar.len() {
        let header = &tar[at..at + BLOCK];
        if header.iter().all(|b| *b == 0) {
            break;
        }
        let size = read_octal(&header[124..136])
            .ok_or_else(|| fail(format!("the entry at byte {at} has a bad size")))?;
        let start = at + BLOCK;
        let end = start
            .checked_add(size)
            .filter(|e| *e <= tar.len())
            .ok_or_else(|| {
                fail(format!(
                    "the entry at byte {at} runs past the archive's end"
                ))
            })?;
        at = end.next_multiple_of(BLOCK);
        let regular = matches!(header[156], b'0' | 0);
        if !regular {
            continue;
        }
        let name = entry_name(header);
        let body = std::str::from_utf8(&tar[start..end])
            .map_err(|e| fail(format!("{name}: not UTF-8 text (byte {})", e.valid_up_to())))?;
        let file = name.rsplit('/').next().unwrap_or("");
        if name.ends_with(".rego") {
            check_module_name(&name).map_err(fail)?;
            if modules.len() == MAX_PAGE_MODULES {
                return Err(fail(format!(
                    "more than the {MAX_PAGE_MODULES} modules the page holds"
                )));
            }
            modules.push(RegoModule {
                name,
                text: body.to_string(),
            });
        } else if file == "data.json" {
            let value: serde_json::Value =
                serde_json::from_str(body).map_err(|e| fail(format!("{name}: not JSON: {e}")))?;
            let path: Vec<String> = name
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            let path = &path[..path.len() - 1];
            ztgym::rego::bundle_files::merge_at(&mut data, path, value)
                .map_err(|e| fail(format!("{name}: {e}")))?;
            has_data = true;
        }
    }
    if modules.is_empty() {
        return Err(fail("the archive holds no .rego module".to_string()));
    }
    Ok(RegoBundle {
        modules,
        data: if has_data {
            serde_json::to_string_pretty(&data).unwrap_or_default()
        } else {
            String::new()
        },
    })
}

/// An entry's path (its ustar prefix joined), without a leading `/` or `./`.
fn entry_name(header: &[u8]) -> String {
    let field = |b: &[u8]| {
        let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..end]).into_owned()
    };
    let name = field(&header[..100]);
    let prefix = if &header[257..262] == b"ustar" {
        field(&header[345..500])
    } else {
        String::new()
    };
    let full = if prefix.is_empty() {
        name
    } else {
        format!("{prefix}/{name}")
    };
    full.trim_start_matches("./")
        .trim_start_matches('/')
        .to_string()
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() < 18 || bytes[0] != 0x1f || bytes[1] != 0x8b || bytes[2] != 8 {
        return Err("not a gzip file (.tar.gz)".to_string());
    }
    let flags = bytes[3];
    let mut at = 10;
    let short = || "the gzip header is cut".to_string();
    if flags & 4 != 0 {
        let n = usize::from(u16::from_le_bytes([
            *bytes.get(at).ok_or_else(short)?,
            *bytes.get(at + 1).ok_or_else(short)?,
        ]));
        at += 2 + n;
    }
    for flag in [8, 16] {
        if flags & flag != 0 {
            let rest = bytes.get(at..).ok_or_else(short)?;
            at += rest.iter().position(|b| *b == 0).ok_or_else(short)? + 1;
        }
    }
    if flags & 2 != 0 {
        at += 2;
    }
    let body = bytes.get(at..).ok_or_else(short)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_UNPACKED_BYTES).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("it unpacks to more than {} MiB", MAX_UNPACKED_BYTES >> 20)
            }
            _ => "it does not unpack (cut or not gzip?)".to_string(),
        },
    )
}

fn put_octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
    field[digits] = 0;
}

fn read_octal(field: &[u8]) -> Option<usize> {
    let text: String = field
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| char::from(*b))
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    usize::from_str_radix(text, 8).ok()
}

/// CRC-32 (IEEE), as gzip's trailer holds it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RegoBundle {
        RegoBundle {
            modules: vec![
                RegoModule {
                    name: "policy.rego".into(),
                    text: "package app\n\nallow if data.open\n".into(),
                },
                RegoModule {
                    name: "lib/util.rego".into(),
                    text: "package lib.util\n\nx := \"é\"\n".into(),
                },
            ],
            data: "{\n  \"open\": true\n}".into(),
        }
    }

    #[test]
    fn a_bundle_round_trips_through_tar_gz() {
        let packed = pack(&sample()).unwrap();
        assert_eq!(&packed[..2], &[0x1f, 0x8b]);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let back = unpack("b.tar.gz", &packed).unwrap();
        assert_eq!(back.modules, sample().modules);
        assert_eq!(back.data_value().unwrap(), sample().data_value().unwrap());
    }

    #[test]
    fn hostile_archives_are_named() {
        assert!(unpack("x", b"plain text, not gzip at all")
            .unwrap_err()
            .contains("not a gzip"));
        let packed = pack(&sample()).unwrap();
        assert!(unpack("x", &packed[..packed.len() / 2]).is_err());
        // A bomb: small packed, huge unpacked.
        let mut bomb = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        bomb.extend(miniz_oxide::deflate::compress_to_vec(
            &vec![0u8; MAX_UNPACKED_BYTES + 1],
            9,
        ));
        bomb.extend([0; 8]);
        assert!(unpack("x", &bomb).unwrap_err().contains("more than"));
        // A name climbing out.
        let mut b = sample();
        b.modules[1].name = "../escape.rego".into();
        let e = unpack("x", &pack(&b).unwrap()).unwrap_err();
        assert!(e.contains("`..`"), "{e}");
        // No module.
        let none = RegoBundle {
            modules: vec![],
            data: "{}".into(),
        };
        assert!(unpack("x", &pack(&none).unwrap())
            .unwrap_err()
            .contains("no .rego"));
    }
}
