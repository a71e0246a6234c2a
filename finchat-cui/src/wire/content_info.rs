//! Reading the `info` object of `m.textcard`, `m.image` and `m.file` content.

use serde_json::Value;

use super::field_error::{FieldError, FieldErrors, all_checks, json_type};
use super::field_table::{Field, FieldTable, field_table};
use crate::content::{FileInfo, ImageInfo, TextCardInfo};
use crate::problem::{Path, ProblemKind};
use crate::{HttpUrl, OpenType};

/// The field table of an object nested in content, and how its fields become the typed value.
pub(crate) trait InfoTable: FieldTable {
    type Info;

    /// Checks every field and, when all fit, takes them out into the typed value; on error nothing
    /// has been taken out.
    fn convert(&mut self) -> Result<Self::Info, FieldErrors>;
}

/// Converts the object in `field` with `T` (`None` when absent); on error the field is left as it was.
pub(crate) fn sub_object<T: InfoTable>(field: &mut Field) -> Result<Option<T::Info>, FieldErrors> {
    let at = Path::root().field(field.name());
    match field.take() {
        None => Ok(None),
        Some(Value::Object(map)) => {
            let mut sub = T::from_map(map);
            match sub.convert() {
                Ok(value) => Ok(Some(value)),
                Err(why) => {
                    field.set(Value::Object(sub.take_rest()));
                    Err(why.into_iter().map(|e| e.within(&at)).collect())
                }
            }
        }
        Some(other) => {
            let why = FieldError::new(
                at,
                ProblemKind::WrongType,
                format!("expected an object, found {}", json_type(&other)),
            );
            field.set(other);
            Err(vec![why])
        }
    }
}

field_table! {
    /// The fields of a text card's `info`.
    TextCardInfoFields, TextCardInfoKey {
        title, Title: "title",
        description, Description: "description",
        url, Url: "url",
        btntext, Btntext: "btntext",
        opentype, Opentype: "opentype",
    }
}

impl InfoTable for TextCardInfoFields {
    type Info = TextCardInfo;

    fn convert(&mut self) -> Result<TextCardInfo, FieldErrors> {
        all_checks! {
            _title = self.title.req_str();
            _description = self.description.req_str();
            url = self.url.parse_str(ProblemKind::InvalidUrl, |s| HttpUrl::parse(s));
            _btntext = self.btntext.req_str();
            opentype = self.opentype.opt_str().map(|s| s.map(OpenType::from_wire));
        }
        self.url.discard();
        self.opentype.discard();
        Ok(TextCardInfo {
            title: self.title.take_required_string(),
            description: self.description.take_required_string(),
            url,
            btntext: self.btntext.take_required_string(),
            opentype,
            extra: self.take_rest(),
        })
    }
}

field_table! {
    /// The fields of an image's `info`.
    ImageInfoFields, ImageInfoKey {
        mimetype, Mimetype: "mimetype",
        size, Size: "size",
        h, H: "h",
        w, W: "w",
    }
}

impl InfoTable for ImageInfoFields {
    type Info = ImageInfo;

    fn convert(&mut self) -> Result<ImageInfo, FieldErrors> {
        all_checks! {
            _mimetype = self.mimetype.opt_str();
            size = self.size.opt_u64();
            h = pixels(&self.h);
            w = pixels(&self.w);
        }
        self.size.discard();
        self.h.discard();
        self.w.discard();
        Ok(ImageInfo {
            mimetype: self.mimetype.take_string(),
            size,
            h,
            w,
            extra: self.take_rest(),
        })
    }
}

fn pixels(field: &Field) -> Result<Option<u32>, FieldError> {
    field
        .opt_u64()?
        .map(|n| {
            u32::try_from(n).map_err(|_| {
                FieldError::at(
                    field.name(),
                    ProblemKind::WrongType,
                    format!("{n} pixels is out of range"),
                )
            })
        })
        .transpose()
}

field_table! {
    /// The fields of a file's `info`.
    FileInfoFields, FileInfoKey {
        mimetype, Mimetype: "mimetype",
        size, Size: "size",
    }
}

impl InfoTable for FileInfoFields {
    type Info = FileInfo;

    fn convert(&mut self) -> Result<FileInfo, FieldErrors> {
        all_checks! {
            _mimetype = self.mimetype.opt_str();
            size = self.size.opt_u64();
        }
        self.size.discard();
        Ok(FileInfo {
            mimetype: self.mimetype.take_string(),
            size,
            extra: self.take_rest(),
        })
    }
}
