//! Where the console's WebAssembly bytes go, by crate: the answer a size budget needs before
//! anyone can act on it. Read from the function names and code sizes of the module cargo built
//! (before wasm-bindgen and wasm-opt strip the names), so it needs no extra tool.

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The code bytes of one crate, and its share of all code.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// The crate the bytes were attributed to (`?` when no crate could be read off the name).
    pub name: String,
    /// Code bytes before optimisation.
    pub bytes: u64,
}

/// What the module holds: code per crate, the largest functions, and static data.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Composition {
    /// Crates by code bytes, largest first.
    pub crates: Vec<Share>,
    /// The largest single functions, largest first.
    pub functions: Vec<Share>,
    /// All function bodies, in bytes.
    pub code: u64,
    /// Static data (string literals, tables, vtables), in bytes.
    pub data: u64,
}

/// Functions wasm-bindgen runs at build time to learn signatures, then removes: never shipped.
const BINDGEN_ONLY: &str = "__wbindgen_describe";

/// Reads `wasm` and attributes each function body to the first crate named in its demangled
/// symbol. Generic code is attributed to the crate whose item was instantiated (`<T as
/// tachys::view::Render>::build` counts for tachys, whatever `T` is), which is how the
/// framework's cost shows up as the framework's.
pub fn analyse(wasm: &Path, crate_names: &HashSet<String>) -> Result<Composition, String> {
    let bytes =
        std::fs::read(wasm).map_err(|err| format!("cannot read {}: {err}", wasm.display()))?;
    let module = Module::read(&bytes).ok_or_else(|| {
        format!(
            "{} is not a WebAssembly module this reader understands",
            wasm.display()
        )
    })?;
    let mut per_crate: HashMap<String, u64> = HashMap::new();
    let mut functions = Vec::with_capacity(module.bodies.len());
    let mut code = 0;
    for (index, size) in module.bodies.iter().enumerate() {
        let symbol = module
            .names
            .get(&(index as u32 + module.imported_functions))
            .map(|raw| format!("{:#}", rustc_demangle::demangle(raw)))
            .unwrap_or_else(|| "?".to_string());
        if symbol.starts_with(BINDGEN_ONLY) {
            continue;
        }
        *per_crate
            .entry(crate_of(&symbol, crate_names).to_string())
            .or_default() += size;
        code += size;
        functions.push(Share {
            name: symbol,
            bytes: *size,
        });
    }
    let mut crates: Vec<Share> = per_crate
        .into_iter()
        .map(|(name, bytes)| Share { name, bytes })
        .collect();
    crates.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    functions.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name)));
    Ok(Composition {
        crates,
        functions,
        code,
        data: module.data,
    })
}

/// The first path segment in `symbol` that names a known crate and is followed by `::`: the
/// identifier ending right before each `::`, looked up in `crate_names`.
fn crate_of<'a>(symbol: &str, crate_names: &'a HashSet<String>) -> &'a str {
    symbol
        .match_indices("::")
        .find_map(|(at, _)| {
            let before = &symbol[..at];
            let start = before
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(0, |i| i + 1);
            crate_names.get(&before[start..])
        })
        .map_or("?", String::as_str)
}

/// The crate names in `Cargo.lock` (as Rust paths spell them), plus the standard library's.
pub fn crate_names(lock: &str) -> HashSet<String> {
    let mut names: HashSet<String> = ["core", "alloc", "std"]
        .into_iter()
        .map(String::from)
        .collect();
    for line in lock.lines() {
        if let Some(name) = line
            .strip_prefix("name = \"")
            .and_then(|rest| rest.strip_suffix('"'))
        {
            names.insert(name.replace('-', "_"));
        }
    }
    names
}

/// The sections of a module that the breakdown needs.
struct Module {
    imported_functions: u32,
    bodies: Vec<u64>,
    names: HashMap<u32, String>,
    data: u64,
}

impl Module {
    fn read(bytes: &[u8]) -> Option<Module> {
        if bytes.get(..4)? != b"\0asm" {
            return None;
        }
        let mut module = Module {
            imported_functions: 0,
            bodies: Vec::new(),
            names: HashMap::new(),
            data: 0,
        };
        let mut reader = Reader { bytes, at: 8 };
        while reader.at < bytes.len() {
            let id = reader.byte()?;
            let size = reader.leb()? as usize;
            let end = reader.at.checked_add(size)?;
            let mut section = Reader {
                bytes: bytes.get(..end)?,
                at: reader.at,
            };
            match id {
                0 => module.read_custom(&mut section)?,
                2 => module.imported_functions = count_function_imports(&mut section)?,
                10 => {
                    for _ in 0..section.leb()? {
                        let body = section.leb()?;
                        section.skip(body as usize)?;
                        module.bodies.push(body);
                    }
                }
                11 => module.data = size as u64,
                _ => {}
            }
            reader.at = end;
        }
        Some(module)
    }

    fn read_custom(&mut self, section: &mut Reader) -> Option<()> {
        if section.name()? != "name" {
            return Some(());
        }
        while section.at < section.bytes.len() {
            let kind = section.byte()?;
            let size = section.leb()? as usize;
            let end = section.at.checked_add(size)?;
            if kind == 1 {
                for _ in 0..section.leb()? {
                    let index = section.leb()? as u32;
                    let name = section.name()?;
                    self.names.insert(index, name);
                }
            }
            section.at = end;
        }
        Some(())
    }
}

fn count_function_imports(section: &mut Reader) -> Option<u32> {
    let mut functions = 0;
    for _ in 0..section.leb()? {
        section.name()?;
        section.name()?;
        match section.byte()? {
            0 => {
                section.leb()?;
                functions += 1;
            }
            1 => {
                section.byte()?;
                section.limits()?;
            }
            2 => section.limits()?,
            3 => section.skip(2)?,
            4 => {
                section.byte()?;
                section.leb()?;
            }
            _ => return None,
        }
    }
    Some(functions)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn leb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    fn skip(&mut self, count: usize) -> Option<()> {
        let end = self.at.checked_add(count)?;
        (end <= self.bytes.len()).then(|| self.at = end)
    }

    fn name(&mut self) -> Option<String> {
        let len = self.leb()? as usize;
        let start = self.at;
        self.skip(len)?;
        Some(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    fn limits(&mut self) -> Option<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> HashSet<String> {
        crate_names("name = \"tachys\"\nname = \"reactive_graph\"\nname = \"userdeck-providers\"\n")
    }

    #[test]
    fn attributes_generic_code_to_the_crate_of_the_item() {
        let names = names();
        assert_eq!(
            crate_of("<T as tachys::view::Render>::build::{{closure}}", &names),
            "tachys"
        );
        assert_eq!(
            crate_of("userdeck_providers::execute::Execution::accept", &names),
            "userdeck_providers"
        );
        assert_eq!(crate_of("<&T as core::fmt::Debug>::fmt", &names), "core");
        assert_eq!(crate_of("__wbindgen_malloc", &names), "?");
    }

    #[test]
    fn a_crate_name_inside_another_word_does_not_count() {
        let names = names();
        assert_eq!(
            crate_of("my_tachys::x <T as core::ops::Fn>", &names),
            "core"
        );
    }

    #[test]
    fn reads_a_module_with_names_and_rejects_garbage() {
        // One imported function, two bodies (2 and 1 bytes), a name for the first body.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend([2, 7, 1, 1, b'm', 1, b'f', 0, 0]);
        wasm.extend([10, 6, 2, 2, 0, 0x0b, 1, 0x0b]);
        let mut names = vec![4u8, b'n', b'a', b'm', b'e'];
        names.extend([1, 6, 1, 1, 3, b'a', b'b', b'c']);
        wasm.push(0);
        wasm.push(names.len() as u8);
        wasm.extend(names);
        let module = Module::read(&wasm).expect("a well-formed module");
        assert_eq!(module.imported_functions, 1);
        assert_eq!(module.bodies, vec![2, 1]);
        assert_eq!(module.names.get(&1).map(String::as_str), Some("abc"));
        assert!(Module::read(b"not wasm").is_none());
        assert!(Module::read(&wasm[..wasm.len() - 3]).is_none());
    }
}
