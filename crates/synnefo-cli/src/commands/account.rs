//! What the account commands (`quota`, `resource`, `project`,
//! `membership`, `commission`) share: the account client and quantities
//! for people.

use crate::args::GlobalArgs;
use crate::commands::pithos_util::format_size;
use crate::session;
use anyhow::{Context, Result};
use synnefo_astakos::AccountClient;
use synnefo_core::{Service, Token};

/// Astakos' "no limit" (2^63 - 1) and anything above it.
const UNLIMITED: u64 = i64::MAX as u64;

/// The account client of the selected cloud; with `token`, that token is
/// sent instead of the session's (a service token for commissions).
pub(crate) async fn client(global: &GlobalArgs, token: Option<&str>) -> Result<AccountClient> {
    let cloud = session::connect(global).await?;
    let client: AccountClient = cloud
        .client()
        .context("cannot find the account service in the catalog")?;
    Ok(match token {
        Some(token) => {
            AccountClient::from_endpoint(client.endpoint().with_token(Some(Token::new(token))))
        }
        None => client,
    })
}

/// A quantity for people: sizes in 1024-based units when `bytes` is the
/// resource's unit and `raw` is off, `unlimited` for Astakos' maximum.
pub(crate) fn quantity(value: u64, bytes: bool, raw: bool) -> String {
    if value >= UNLIMITED {
        "unlimited".to_owned()
    } else if bytes && !raw {
        format_size(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_for_people() {
        assert_eq!(quantity(1 << 30, true, false), "1GiB");
        assert_eq!(quantity(1 << 30, true, true), "1073741824");
        assert_eq!(quantity(3, false, false), "3");
        assert_eq!(quantity(i64::MAX as u64, true, false), "unlimited");
    }
}
