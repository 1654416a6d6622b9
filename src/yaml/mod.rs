//! The positioned YAML tree: every key, value and sequence item keeps its byte span.

mod locate;
mod path;
mod tree;

mod lenient;
pub mod load;
pub mod resolve;

pub use locate::{Located, locate};
pub use path::{Seg, YamlPath};
pub use tree::{Entry, Node, Scalar, ScalarKind, ScalarStyle, Span, Value};
