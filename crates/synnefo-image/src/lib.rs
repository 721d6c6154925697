//! Plankton, the image registry of Synnefo clouds (a Glance v1 subset):
//! register a Pithos+ file as an image, list images with filters and
//! order, read and change their metadata, unregister them, and share them
//! with other users.
//!
//! [`ImageClient`] has a counterpart for every method of kamaki's
//! `ImageClient`. Plankton describes an image in `X-Image-Meta-*` headers
//! rather than a body; this crate percent-encodes what the server decodes
//! (the name, property values) and decodes the answers into an
//! [`ImageMeta`], so any text, unicode included, survives the round trip.
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_core::{ClientConfig, HttpClient, Token};
//! use synnefo_image::{ImageClient, UpdateImage};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let endpoint = http.endpoint(
//!     "https://cyclades.example.org/image/v1.0",
//!     Some(Token::new("my-token")),
//! )?;
//! let images = ImageClient::new(endpoint);
//! let mut update = UpdateImage::default();
//! update.is_public = Some(true);
//! update.delete_property("obsolete");
//! let image = images.update_image("9f1c…", &update).await?;
//! println!("{} is public: {:?}", image.name, image.is_public);
//! images.add_member(&image.id, "a-friend-uuid").await?;
//! # Ok(()) }
//! ```
//!
//! kamaki bugs not carried over: a location that is not `pithos://…` is
//! refused instead of being re-joined with `.`; `update_image` can delete
//! properties (an empty value); a zero size or `false` flag is sent when
//! asked for rather than dropped as falsy.

mod client;
mod images;
mod location;
mod members;
mod meta_headers;
mod models;
#[cfg(test)]
mod testing;

pub use client::ImageClient;
pub use location::ImageLocation;
pub use models::{
    Image, ImageMeta, ListImages, Member, Properties, RegisterImage, SharedImage, SortDir,
    UpdateImage,
};
