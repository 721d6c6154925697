//! Types of Synnefo's compute extensions: console types, firewall
//! profiles, statistics, volume attachments, flavor filters.

use crate::de;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use synnefo_core::Error;

/// The console types of Synnefo's `console` action (kamaki
/// `CONSOLE_TYPES`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConsoleType {
    /// A plain VNC connection (`vnc`).
    #[default]
    Vnc,
    /// VNC over WebSocket (`vnc-ws`).
    VncWs,
    /// VNC over secure WebSocket (`vnc-wss`).
    VncWss,
}

impl ConsoleType {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsoleType::Vnc => "vnc",
            ConsoleType::VncWs => "vnc-ws",
            ConsoleType::VncWss => "vnc-wss",
        }
    }
}

impl fmt::Display for ConsoleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConsoleType {
    type Err = Error;

    /// Parses `vnc`, `vnc-ws` or `vnc-wss` (any case).
    ///
    /// # Errors
    /// [`Error::Config`] for any other text.
    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "vnc" => Ok(ConsoleType::Vnc),
            "vnc-ws" => Ok(ConsoleType::VncWs),
            "vnc-wss" => Ok(ConsoleType::VncWss),
            _ => Err(Error::Config(format!(
                "unknown console type {text:?}: expected vnc, vnc-ws or vnc-wss"
            ))),
        }
    }
}

/// The firewall profile of a server's NIC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FirewallProfile {
    /// Incoming traffic filtered (`ENABLED`).
    Enabled,
    /// No filtering (`DISABLED`).
    Disabled,
    /// Only a few well-known ports open (`PROTECTED`).
    Protected,
}

impl FirewallProfile {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            FirewallProfile::Enabled => "ENABLED",
            FirewallProfile::Disabled => "DISABLED",
            FirewallProfile::Protected => "PROTECTED",
        }
    }
}

impl fmt::Display for FirewallProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FirewallProfile {
    type Err = Error;

    /// Parses `ENABLED`, `DISABLED` or `PROTECTED` (any case).
    ///
    /// # Errors
    /// [`Error::Config`] for any other text.
    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_uppercase().as_str() {
            "ENABLED" => Ok(FirewallProfile::Enabled),
            "DISABLED" => Ok(FirewallProfile::Disabled),
            "PROTECTED" => Ok(FirewallProfile::Protected),
            _ => Err(Error::Config(format!(
                "unknown firewall profile {text:?}: expected ENABLED, DISABLED or PROTECTED"
            ))),
        }
    }
}

/// Where a server's usage graphs are (`GET /servers/<id>/stats`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerStats {
    /// The server id.
    #[serde(rename = "serverRef", default, deserialize_with = "de::opt_id")]
    pub server_ref: Option<u64>,
    /// How often the graphs are refreshed, in seconds.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub refresh: Option<u64>,
    /// URL of the CPU bar graph.
    #[serde(rename = "cpuBar", default)]
    pub cpu_bar: Option<String>,
    /// URL of the CPU time series.
    #[serde(rename = "cpuTimeSeries", default)]
    pub cpu_time_series: Option<String>,
    /// URL of the network bar graph.
    #[serde(rename = "netBar", default)]
    pub net_bar: Option<String>,
    /// URL of the network time series.
    #[serde(rename = "netTimeSeries", default)]
    pub net_time_series: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A volume attached to a server (`os-volume_attachments`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumeAttachment {
    /// The attachment id (in Synnefo, the volume id).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The volume id.
    #[serde(rename = "volumeId", default, deserialize_with = "de::opt_string")]
    pub volume_id: Option<String>,
    /// The server id.
    #[serde(rename = "serverId", default, deserialize_with = "de::opt_id")]
    pub server_id: Option<u64>,
    /// The device name (empty in Synnefo).
    #[serde(default)]
    pub device: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Synnefo's flavor filters (kamaki `CycladesComputeClient.list_flavors`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlavorFilter {
    /// Only public (`true`) or private (`false`) flavors
    /// (`SNF:is_public`).
    pub is_public: Option<bool>,
    /// Only flavors this project grants access to (`SNF:flavor-access`).
    pub project: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn console_types_and_profiles_parse_strictly() {
        assert_eq!(
            "VNC-WSS".parse::<ConsoleType>().unwrap(),
            ConsoleType::VncWss
        );
        assert_eq!(ConsoleType::VncWs.to_string(), "vnc-ws");
        let error = "spice".parse::<ConsoleType>().unwrap_err();
        assert!(error.to_string().contains("vnc-wss"), "{error}");
        assert_eq!(
            "protected".parse::<FirewallProfile>().unwrap(),
            FirewallProfile::Protected
        );
        assert!("open".parse::<FirewallProfile>().is_err());
    }

    #[test]
    fn decodes_stats_and_attachments() {
        let stats: ServerStats = serde_json::from_value(json!({
            "serverRef": 42, "refresh": 60, "cpuBar": "https://s/cpu-bar",
            "cpuTimeSeries": "https://s/cpu-ts", "netBar": "https://s/net-bar",
            "netTimeSeries": "https://s/net-ts"
        }))
        .unwrap();
        assert_eq!((stats.server_ref, stats.refresh), (Some(42), Some(60)));
        assert_eq!(stats.net_time_series.as_deref(), Some("https://s/net-ts"));
        let attachment: VolumeAttachment = serde_json::from_value(json!({
            "id": 101, "volumeId": 101, "serverId": 42, "device": ""
        }))
        .unwrap();
        assert_eq!(attachment.id, "101");
        assert_eq!(attachment.volume_id.as_deref(), Some("101"));
        assert_eq!(attachment.server_id, Some(42));
    }
}
