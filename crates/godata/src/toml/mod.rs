//! BurntSushi/toml as Helm's `toToml` and `fromToml` use it.

mod decode;
mod encode;

pub use decode::unmarshal;
pub use encode::marshal;

#[cfg(test)]
mod tests;
