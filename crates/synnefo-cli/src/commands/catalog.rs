//! `snf endpoint list` and `snf service list`: the service catalog.

use crate::args::{EndpointCommand, GlobalArgs, OutputFormat};
use crate::{output, session};
use anyhow::Result;

pub(crate) async fn endpoints(global: &GlobalArgs, command: &EndpointCommand) -> Result<()> {
    let EndpointCommand::List { service_type } = command;
    let cloud = session::connect(global).await?;
    let services: Vec<_> = cloud
        .catalog()
        .services()
        .iter()
        .filter(|s| {
            service_type
                .as_deref()
                .is_none_or(|t| s.service_type.eq_ignore_ascii_case(t))
        })
        .collect();
    if let Some(wanted) = service_type
        && services.is_empty()
    {
        anyhow::bail!("the catalog has no service of type {wanted:?} (see `snf service list`)");
    }
    match global.output {
        OutputFormat::Json => output::json(&services),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = services
                .iter()
                .flat_map(|s| {
                    s.endpoints.iter().map(|e| {
                        vec![
                            s.service_type.clone(),
                            s.name.clone(),
                            e.version_id.clone(),
                            e.public_url.clone(),
                        ]
                    })
                })
                .collect();
            output::table(&["TYPE", "NAME", "VERSION", "URL"], &rows)
        }
    }
}

pub(crate) async fn services(global: &GlobalArgs) -> Result<()> {
    let cloud = session::connect(global).await?;
    let services = cloud.catalog().services();
    match global.output {
        OutputFormat::Json => output::json(services),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = services
                .iter()
                .map(|s| {
                    let versions: Vec<&str> =
                        s.endpoints.iter().map(|e| e.version_id.as_str()).collect();
                    vec![s.service_type.clone(), s.name.clone(), versions.join(", ")]
                })
                .collect();
            output::table(&["TYPE", "NAME", "VERSIONS"], &rows)
        }
    }
}
