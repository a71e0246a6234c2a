//! The short Rust name of a type, for messages and generated names.

/// The Rust name of `T` without its module path or generic arguments: `Expense` for
/// `my_app::forms::Expense`, `Vec` for `Vec<u8>`, `u32` for `u32`.
pub(crate) fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let path = full.split('<').next().unwrap_or(full);
    path.rsplit("::").next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;
    struct Wrapper<T>(T);

    #[test]
    fn a_type_is_named_without_its_path_or_generics() {
        assert_eq!(short_type_name::<Plain>(), "Plain");
        assert_eq!(short_type_name::<Wrapper<Plain>>(), "Wrapper");
        assert_eq!(short_type_name::<std::net::Ipv4Addr>(), "Ipv4Addr");
        assert_eq!(short_type_name::<u32>(), "u32");
    }
}
