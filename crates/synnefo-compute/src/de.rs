//! The lenient decoders of `synnefo_core::lenient`, under the names this
//! crate's models use.

pub(crate) use synnefo_core::lenient::{
    integer as id, metadata, nullable, object_or_none, opt_integer as opt_id, opt_string, string,
    string_list,
};
