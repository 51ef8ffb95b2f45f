# Inputs. Resource NAMES are not inputs: they are fixed by func-configs/README.md so that Terraform,
# the local stack and the documentation always agree.

# ---------------------------------------------------------------------------------------------
# Tenancy, region, authentication
# ---------------------------------------------------------------------------------------------
variable "tenancy_ocid" {
  description = "OCID of the tenancy. Dynamic groups and the policies are created at its root."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.", var.tenancy_ocid))
    error_message = "tenancy_ocid must be a tenancy OCID (ocid1.tenancy...)."
  }
}

variable "region" {
  description = "Region to deploy into, e.g. us-ashburn-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+-[0-9]+$", var.region))
    error_message = "region must be a region identifier such as us-ashburn-1."
  }
}

variable "home_region" {
  description = "The tenancy's home region, where IAM resources must be written. Null = var.region."
  type        = string
  default     = null
}

variable "oci_auth" {
  description = "How the provider authenticates: APIKey (~/.oci/config), InstancePrincipal, SecurityToken or ResourcePrincipal. Cloud Shell works with APIKey or SecurityToken."
  type        = string
  default     = "APIKey"

  validation {
    condition     = contains(["APIKey", "InstancePrincipal", "SecurityToken", "ResourcePrincipal"], var.oci_auth)
    error_message = "oci_auth must be APIKey, InstancePrincipal, SecurityToken or ResourcePrincipal."
  }
}

variable "oci_config_profile" {
  description = "Profile of ~/.oci/config used when oci_auth is APIKey or SecurityToken."
  type        = string
  default     = "DEFAULT"
}

# ---------------------------------------------------------------------------------------------
# Compartments
# ---------------------------------------------------------------------------------------------
variable "compartment_ocid" {
  description = "Compartment for the network, functions, API gateway, connectors, topic, bucket and logs (and for streams and vault unless overridden below)."
  type        = string

  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.", var.compartment_ocid))
    error_message = "compartment_ocid must be a compartment OCID."
  }
}

variable "stream_compartment_ocid" {
  description = "Compartment of the stream pool and streams. Null = compartment_ocid."
  type        = string
  default     = null

  validation {
    condition     = var.stream_compartment_ocid == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.stream_compartment_ocid))
    error_message = "stream_compartment_ocid must be null or a compartment OCID."
  }
}

variable "vault_compartment_ocid" {
  description = "Compartment of the vault and master key; the functions create the token secrets here. Null = compartment_ocid."
  type        = string
  default     = null

  validation {
    condition     = var.vault_compartment_ocid == null || can(regex("^ocid1\\.(compartment|tenancy)\\.", var.vault_compartment_ocid))
    error_message = "vault_compartment_ocid must be null or a compartment OCID."
  }
}

variable "policy_compartment_ocid" {
  description = "Where the IAM policies are attached. Null = the tenancy, which is always an ancestor of the three compartments above."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------
variable "vcn_cidr" {
  description = "CIDR of the VCN."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vcn_cidr, 0))
    error_message = "vcn_cidr must be a CIDR block."
  }
}

variable "functions_subnet_cidr" {
  description = "CIDR of the private subnet the functions (and the optional stream pool private endpoint) use."
  type        = string
  default     = "10.20.1.0/24"

  validation {
    condition     = can(cidrhost(var.functions_subnet_cidr, 0))
    error_message = "functions_subnet_cidr must be a CIDR block."
  }
}

variable "gateway_subnet_cidr" {
  description = "CIDR of the public subnet of the API gateway."
  type        = string
  default     = "10.20.2.0/24"

  validation {
    condition     = can(cidrhost(var.gateway_subnet_cidr, 0))
    error_message = "gateway_subnet_cidr must be a CIDR block."
  }
}

variable "api_client_cidrs" {
  description = "Source CIDRs allowed to reach the API gateway on 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.api_client_cidrs) > 0 && alltrue([for c in var.api_client_cidrs : can(cidrhost(c, 0))])
    error_message = "api_client_cidrs must be a non-empty list of CIDR blocks."
  }
}

variable "target_egress_tcp_ports" {
  description = "TCP ports the functions may open towards target REST APIs through the NAT gateway (the allow-list still decides which hosts)."
  type        = list(number)
  default     = [443]

  validation {
    condition     = length(var.target_egress_tcp_ports) > 0 && alltrue([for p in var.target_egress_tcp_ports : p >= 1 && p <= 65535])
    error_message = "target_egress_tcp_ports must list ports between 1 and 65535."
  }
}

# ---------------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------------
variable "stream_pool_private_endpoint" {
  description = "Give the stream pool a private endpoint in the functions subnet (443 open only from that subnet, inside the VCN), so its streams are reachable only inside the VCN; the functions then use the endpoint's FQDN as stream_messages_endpoint. Connector Hub supports private streams as sources and targets; what its creator needs: docs/deploy.md."
  type        = bool
  default     = false
}

variable "data_stream_partitions" {
  description = "Partitions of DataSyncStream (fixed at creation; 1 MB/s of writes each)."
  type        = number
  default     = 1

  validation {
    condition     = var.data_stream_partitions >= 1 && floor(var.data_stream_partitions) == var.data_stream_partitions
    error_message = "data_stream_partitions must be a whole number >= 1."
  }
}

variable "data_stream_retention_hours" {
  description = "Retention of DataSyncStream in hours (OCI allows 24-168, fixed at creation)."
  type        = number
  default     = 24

  validation {
    condition     = var.data_stream_retention_hours >= 24 && var.data_stream_retention_hours <= 168
    error_message = "data_stream_retention_hours must be between 24 and 168."
  }
}

variable "error_streams" {
  description = "Routing class => error stream name. The four classes unrecoverable, serviceUnavailable, internalserver and default are required; extra classes (e.g. notfound = \"NotFoundErrorStream\") can be targeted by error_routes."
  type        = map(string)
  default = {
    unrecoverable      = "UnrecoverableErrorStream"
    serviceUnavailable = "ServiceUnavailableErrorStream"
    internalserver     = "InternalServerErrorStream"
    default            = "DefaultErrorStream"
  }

  validation {
    condition     = alltrue([for c in ["unrecoverable", "serviceUnavailable", "internalserver", "default"] : contains(keys(var.error_streams), c)])
    error_message = "error_streams must contain the classes unrecoverable, serviceUnavailable, internalserver and default."
  }

  validation {
    condition     = length(distinct(values(var.error_streams))) == length(var.error_streams)
    error_message = "Every error stream class needs its own stream name."
  }

  validation {
    condition     = !contains(keys(var.error_streams), "deadLetter") && !contains(values(var.error_streams), "DeadLetterStream")
    error_message = "error_streams may not use the class deadLetter or the name DeadLetterStream: that is the dead-letter stream, which Terraform always creates."
  }
}

variable "error_stream_partitions" {
  description = "Partitions of each error stream."
  type        = number
  default     = 1

  validation {
    condition     = var.error_stream_partitions >= 1 && floor(var.error_stream_partitions) == var.error_stream_partitions
    error_message = "error_stream_partitions must be a whole number >= 1."
  }
}

variable "error_stream_retention_hours" {
  description = "Retention of the error streams and DeadLetterStream in hours (24-168): how long a failed message can still be replayed with /stream/retry. At least redrive_max_age (checked before apply)."
  type        = number
  default     = 168

  validation {
    condition     = var.error_stream_retention_hours >= 24 && var.error_stream_retention_hours <= 168
    error_message = "error_stream_retention_hours must be between 24 and 168."
  }
}

variable "error_routes" {
  description = "Extra routes for the error_routing key: selector (404, 4xx, 5xx, network, timeout, invalid, circuitOpen, default) => class of error_streams."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for s in keys(var.error_routes) : can(regex("^([1-5][0-9][0-9]|[1-5]xx|network|timeout|invalid|circuitOpen|default)$", s))])
    error_message = "error_routes selectors must be an HTTP code, a class such as 4xx, network, timeout, invalid, circuitOpen or default."
  }
}

# ---------------------------------------------------------------------------------------------
# Automatic redrive
# ---------------------------------------------------------------------------------------------
variable "redrive_schedule" {
  description = "When automatic redrive tries a failed message again: one wait per attempt after the in-invocation ones, comma-separated, each digits and a unit s, m or h (the redrive_schedule key). A message still failing after the last slot goes to DeadLetterStream."
  type        = string
  default     = "1m,5m,30m,2h,5h,10h,10h"

  validation {
    condition     = can(regex("^[1-9][0-9]*[smh](,[1-9][0-9]*[smh])*$", var.redrive_schedule))
    error_message = "redrive_schedule must be waits such as 1m,5m,30m,2h: digits and one unit of s, m or h each, comma-separated, no zero and no spaces."
  }
}

variable "redrive_max_age" {
  description = "How long automatic redrive keeps trying a message, from its first failure (digits and a unit s, m or h; the redrive_max_age key). Older messages go to DeadLetterStream. The error streams' retention (error_stream_retention_hours) must cover it."
  type        = string
  default     = "24h"

  validation {
    condition     = can(regex("^[1-9][0-9]*[smh]$", var.redrive_max_age))
    error_message = "redrive_max_age must be digits and one unit of s, m or h, such as 24h or 90m (not zero)."
  }
}

variable "max_delivery_delay" {
  description = "How far ahead a sync request's streamMessage.deliverAfter may be (digits and a unit s, m or h, below redrive_max_age; the max_delivery_delay key). Empty: half of redrive_max_age."
  type        = string
  default     = ""

  validation {
    condition     = var.max_delivery_delay == "" || can(regex("^[1-9][0-9]*[smh]$", var.max_delivery_delay))
    error_message = "max_delivery_delay must be empty or digits and one unit of s, m or h, such as 12h or 90m (not zero)."
  }
}

variable "max_fanout_targets" {
  description = "How many targets one fan-out message (streamMessage.targets) may name, 1-100 (the max_fanout_targets key)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_fanout_targets >= 1 && var.max_fanout_targets <= 100 && floor(var.max_fanout_targets) == var.max_fanout_targets
    error_message = "max_fanout_targets must be a whole number from 1 to 100."
  }
}

variable "signing_rotation_overlap" {
  description = "After a source's signing secret is rotated, how long every delivery also carries the previous secret's signature (digits and a unit s, m or h, 1s-168h; the signing_rotation_overlap key)."
  type        = string
  default     = "24h"

  validation {
    condition     = can(regex("^[1-9][0-9]*[smh]$", var.signing_rotation_overlap))
    error_message = "signing_rotation_overlap must be digits and one unit of s, m or h, such as 24h or 90m (not zero)."
  }
}

variable "redrive_error_classes" {
  description = "Error classes (keys of error_streams) whose streams are redriven automatically (the redrive_stream_ocids key). Never unrecoverable: a message that can never succeed is not tried again."
  type        = list(string)
  default     = ["serviceUnavailable", "internalserver", "default"]

  validation {
    condition     = length(var.redrive_error_classes) > 0 && length(distinct(var.redrive_error_classes)) == length(var.redrive_error_classes)
    error_message = "redrive_error_classes must name at least one error class, each once."
  }

  validation {
    condition     = !contains(var.redrive_error_classes, "unrecoverable") && !contains(var.redrive_error_classes, "deadLetter")
    error_message = "redrive_error_classes may not contain unrecoverable (its messages can never succeed) or deadLetter (DeadLetterStream is replayed by a person)."
  }
}

# ---------------------------------------------------------------------------------------------
# Vault
# ---------------------------------------------------------------------------------------------
variable "vault_type" {
  description = "DEFAULT (shared HSM partition) or VIRTUAL_PRIVATE."
  type        = string
  default     = "DEFAULT"

  validation {
    condition     = contains(["DEFAULT", "VIRTUAL_PRIVATE"], var.vault_type)
    error_message = "vault_type must be DEFAULT or VIRTUAL_PRIVATE."
  }
}

variable "key_protection_mode" {
  description = "Protection of the master key that encrypts the token secrets: HSM or SOFTWARE."
  type        = string
  default     = "HSM"

  validation {
    condition     = contains(["HSM", "SOFTWARE"], var.key_protection_mode)
    error_message = "key_protection_mode must be HSM or SOFTWARE."
  }
}

# ---------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------
variable "functions_deployed" {
  description = "false for the first apply. Set to true after `fn deploy` of the four functions: Terraform then looks them up by name and creates the API deployment, the DataSyncStream connector, the bulk-ingest Events rule and the functions' IAM."
  type        = bool
  default     = false
}

variable "ocir_repository_prefix" {
  description = "Prefix of the OCIR repositories (<prefix>/<function name>); the same prefix goes into `fn update context registry`."
  type        = string
  default     = "datasync"

  validation {
    condition     = can(regex("^[a-z0-9]+([._-][a-z0-9]+)*$", var.ocir_repository_prefix))
    error_message = "ocir_repository_prefix must be lower-case letters, digits and . _ - separators."
  }
}

variable "target_allowlist" {
  description = "Hosts a message may target: host, *.domain, host:port or CIDR (see func-configs/README.md). Empty refuses every target."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for h in var.target_allowlist : length(trimspace(h)) > 0 && !can(regex(",", h))])
    error_message = "target_allowlist entries must be non-empty and contain no comma."
  }
}

variable "target_limits" {
  description = "Rate caps per target for the whole application, host=N/s, host:port=N/s or host=N/min (see func-configs/README.md); each delivering container enforces its share (N / (data_stream_partitions + 1)). Empty: no cap."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.target_limits : can(regex("^[^,=\\s]+=[0-9]+/(s|min)$", trimspace(e)))])
    error_message = "target_limits entries must look like orders.example.com=20/s, host:port=N/s or host=N/min."
  }
}

variable "log_level" {
  description = "log_level of every function (func-configs/README.md): the lowest level of JSON line written to OCI Logging. INFO keeps one line per delivered message out (those are DEBUG); DEBUG writes them, e.g. to trace one message's delivery."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], upper(var.log_level))
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "function_config_overrides" {
  description = "Tuning keys of func-configs/README.md that have a default (delivery_*, target_breaker_*, secret_expiry_days, secret_retention_days, sync_max_*, rules_*); only these may be set here."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for k in keys(var.function_config_overrides) : contains([
      "delivery_concurrency", "delivery_max_attempts", "delivery_connect_timeout_ms", "delivery_request_timeout_ms",
      "delivery_backoff_base_ms", "delivery_backoff_max_ms", "target_breaker_failures", "target_breaker_failure_rate",
      "target_breaker_window", "target_breaker_open_ms", "target_breaker_probes", "secret_expiry_days",
      "secret_retention_days", "sync_max_batch_items", "sync_max_message_bytes", "rules_timeout_ms",
      "rules_max_depth", "rules_max_body_bytes",
    ], k)])
    error_message = "function_config_overrides may only set the tuning keys delivery_*, target_breaker_*, secret_expiry_days, secret_retention_days, sync_max_* and rules_*."
  }
}

variable "deployer_group_name" {
  description = "Optional IAM group whose members run `fn deploy`; if set, a policy lets it manage the functions and push images in compartment_ocid. Null = the person running Terraform deploys (already an administrator)."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------
# API Gateway
# ---------------------------------------------------------------------------------------------
variable "api_rate_limit_per_second" {
  description = "Requests per second per client IP accepted by each API deployment: a ceiling per address in front of the per-source rates of sources."
  type        = number
  default     = 50

  validation {
    condition     = var.api_rate_limit_per_second >= 1
    error_message = "api_rate_limit_per_second must be >= 1."
  }
}

variable "api_backend_read_timeout_seconds" {
  description = "How long the gateway waits for a function's answer. Must exceed the deployed timeouts of populate-data-stream-fn and retry-fn (func.yaml: 30 s and 60 s) by 30 s; a precondition checks it against the deployed functions."
  type        = number
  default     = 90

  validation {
    condition     = var.api_backend_read_timeout_seconds >= 1 && var.api_backend_read_timeout_seconds <= 300
    error_message = "api_backend_read_timeout_seconds must be between 1 and 300."
  }
}

variable "admin_token_header" {
  description = "Header that carries the admin JWT (`Bearer <jwt>`) on /stream/retry. Not Authorization (on /stream/sync that header is the caller's target token and must pass through untouched) and not X-DataSync-Source-Token (the source credential's header)."
  type        = string
  default     = "X-DataSync-Admin-Token"

  validation {
    condition     = !contains(["authorization", "x-datasync-source-token", "x-datasync-source-id"], lower(var.admin_token_header))
    error_message = "admin_token_header must not be Authorization (the target token), X-DataSync-Source-Token (the source credential) or X-DataSync-Source-Id (set by the gateway)."
  }
}

variable "admin_jwt_issuers" {
  description = "Accepted `iss` values of the admin JWT (e.g. your identity domain URL)."
  type        = list(string)

  validation {
    condition     = length(var.admin_jwt_issuers) > 0
    error_message = "At least one issuer is needed: the retry route is never public."
  }
}

variable "admin_jwt_audiences" {
  description = "Accepted `aud` values of the admin JWT (e.g. datasync-admin). Never datasync-sync, the audience of the source credentials."
  type        = list(string)

  validation {
    condition     = length(var.admin_jwt_audiences) > 0
    error_message = "At least one audience is needed."
  }

  validation {
    condition     = !contains(var.admin_jwt_audiences, "datasync-sync")
    error_message = "admin_jwt_audiences must not contain datasync-sync: that is the audience of the source credentials, and a source credential is never accepted on /stream/retry."
  }
}

variable "admin_jwt_jwks_uri" {
  description = "JWKS URI whose keys sign the admin JWT (e.g. https://idcs-xxxx.identity.oraclecloud.com/admin/v1/SigningCert/jwk). Set this or admin_jwt_public_key_pem."
  type        = string
  default     = null
}

variable "admin_jwt_public_key_pem" {
  description = "Alternative to admin_jwt_jwks_uri: one PEM public key that signs the admin JWT."
  type        = string
  default     = null
}

variable "admin_jwt_public_key_id" {
  description = "kid of admin_jwt_public_key_pem."
  type        = string
  default     = "datasync-admin"
}

variable "source_jwt_issuers" {
  description = "Accepted `iss` values of the source credentials (JWTs with audience datasync-sync in X-DataSync-Source-Token), e.g. the issuer of your identity domain's tokens."
  type        = list(string)

  validation {
    condition     = length(var.source_jwt_issuers) > 0
    error_message = "At least one issuer is needed: /stream/sync is never anonymous."
  }
}

variable "source_jwt_jwks_uri" {
  description = "JWKS URI whose keys sign the source credentials (e.g. https://idcs-xxxx.identity.oraclecloud.com/admin/v1/SigningCert/jwk). Set this or source_jwt_public_key_pem."
  type        = string
  default     = null
}

variable "source_jwt_public_key_pem" {
  description = "Alternative to source_jwt_jwks_uri: one PEM public key that signs the source credentials."
  type        = string
  default     = null
}

variable "source_jwt_public_key_id" {
  description = "kid of source_jwt_public_key_pem."
  type        = string
  default     = "datasync-source"
}

variable "source_id_claim" {
  description = "Claim of the source credential that holds the source id: the gateway copies it into X-DataSync-Source-Id and keys the source's usage plan on it. With an identity domain, sub is the confidential application's client ID."
  type        = string
  default     = "sub"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$", var.source_id_claim))
    error_message = "source_id_claim must be a claim name (letters, digits, _ . : -, at most 64 characters)."
  }
}

variable "sources" {
  description = "The source applications: source id (the value of source_id_claim) => its target allow-list (inside target_allowlist; empty = target_allowlist), its rate limit in requests per second, its cap on live token secrets and whether its deliveries are signed (signing, default false; its secret is the vault secret sign.SOURCE_ID, docs/signing.md). Each gets a usage plan, a subscriber and the object `sources/<id>.json` in datasync-state; a caller whose id is not listed is refused."
  type = map(object({
    allowlist       = list(string)
    rate_per_second = number
    max_secrets     = number
    signing         = optional(bool, false)
  }))
  default = {}

  validation {
    condition     = alltrue([for id in keys(var.sources) : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", id))])
    error_message = "Source ids must match ^[a-z0-9][a-z0-9-]{0,31}$ (lower-case letters, digits and -, at most 32 characters)."
  }

  validation {
    condition     = alltrue([for s in values(var.sources) : s.rate_per_second >= 1 && floor(s.rate_per_second) == s.rate_per_second])
    error_message = "Every source's rate_per_second must be a whole number >= 1."
  }

  validation {
    condition     = alltrue([for s in values(var.sources) : s.max_secrets >= 1 && floor(s.max_secrets) == s.max_secrets])
    error_message = "Every source's max_secrets must be a whole number >= 1."
  }

  validation {
    condition     = alltrue(flatten([for s in values(var.sources) : [for h in s.allowlist : length(trimspace(h)) > 0 && !can(regex(",", h))]]))
    error_message = "Source allowlist entries must be non-empty and contain no comma."
  }
}

variable "source_rules" {
  description = "Per-source rules applied at delivery (README, \"Rules\"): source id (a key of var.sources) => JSONata expressions, filter (true: deliver, false: drop as filtered) and transform (its value is the body sent). Each becomes rules/<id>.json in datasync-state, which every delivering function reads once per batch: a change applies from the next batch after terraform apply. Check an expression first with ./datasync sources rules NAME FILE --test MESSAGE."
  type = map(object({
    filter    = optional(string)
    transform = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for id in keys(var.source_rules) : contains(keys(var.sources), id)])
    error_message = "source_rules may only name sources of var.sources."
  }

  validation {
    condition     = alltrue([for r in values(var.source_rules) : (r.filter != null && trimspace(coalesce(r.filter, " ")) != "") || (r.transform != null && trimspace(coalesce(r.transform, " ")) != "")])
    error_message = "Every source_rules entry needs a non-empty filter or transform (remove the entry to clear a source's rules)."
  }
}

# ---------------------------------------------------------------------------------------------
# Connectors, notifications, archive
# ---------------------------------------------------------------------------------------------
variable "data_stream_cursor" {
  description = "Where the DataSyncStream connector starts: TRIM_HORIZON (nothing retained is skipped) or LATEST."
  type        = string
  default     = "TRIM_HORIZON"

  validation {
    condition     = contains(["TRIM_HORIZON", "LATEST"], var.data_stream_cursor)
    error_message = "data_stream_cursor must be TRIM_HORIZON or LATEST."
  }
}

variable "read_batch_size_in_kbs" {
  description = "Batch size (KB) Service Connector Hub hands ReadDataStream. Ignored when read_batch_size_in_num is set."
  type        = number
  default     = 1024
}

variable "read_batch_size_in_num" {
  description = "Alternative batch size in messages (null = use read_batch_size_in_kbs)."
  type        = number
  default     = null
}

variable "read_batch_time_in_sec" {
  description = "Longest wait before a partial batch is handed to ReadDataStream."
  type        = number
  default     = 5
}

variable "notification_email" {
  description = "E-mail address subscribed to the error topic (the recipient must confirm). Null = no subscription."
  type        = string
  default     = null
}

variable "error_alarm_repeat_notification_duration" {
  description = "How often a FIRING error-stream alarm notifies the topic again while messages keep arriving (ISO 8601 duration, PT1M-P1D)."
  type        = string
  default     = "PT4H"

  validation {
    condition     = can(regex("^P(T[0-9]+[MH]|1D)$", var.error_alarm_repeat_notification_duration))
    error_message = "error_alarm_repeat_notification_duration must be an ISO 8601 duration such as PT30M, PT4H or P1D."
  }
}

variable "delivery_failure_rate_alarm_percent" {
  description = "The alarm DataSyncDeliveryFailureRate fires when more than this percentage of the calls to targets failed over 5 minutes (1-100)."
  type        = number
  default     = 20

  validation {
    condition     = var.delivery_failure_rate_alarm_percent >= 1 && var.delivery_failure_rate_alarm_percent <= 100
    error_message = "delivery_failure_rate_alarm_percent must be between 1 and 100."
  }
}

variable "connector_lag_alarm_messages" {
  description = "The alarm DataSyncConnectorLag fires when more than this many messages written to DataSyncStream over 15 minutes were not read by its connector (at least 1)."
  type        = number
  default     = 1000

  validation {
    condition     = var.connector_lag_alarm_messages >= 1
    error_message = "connector_lag_alarm_messages must be at least 1."
  }
}

variable "redrive_lag_alarm_messages" {
  description = "The alarm DataSyncRedriveLag fires when more than this many messages have waited for automatic redrive in one error stream for 30 minutes (at least 1)."
  type        = number
  default     = 100

  validation {
    condition     = var.redrive_lag_alarm_messages >= 1
    error_message = "redrive_lag_alarm_messages must be at least 1."
  }
}

variable "error_topic_raw_messages" {
  description = "Also send every error-stream message itself to the topic (Connector Hub, raw JSON: payloads and header values reach every subscriber, messages over 64 KB are not deliverable). Off by default: the topic gets the alarms' digests. Turn on only with internal HTTPS/function subscribers."
  type        = bool
  default     = false
}

variable "archive_object_name_prefix" {
  description = "Object name prefix in the archive bucket; the error class is appended."
  type        = string
  default     = "error-archive"
}

variable "archive_batch_rollover_size_in_mbs" {
  description = "Size at which the archive connector starts a new object."
  type        = number
  default     = 10
}

variable "archive_batch_rollover_time_in_ms" {
  description = "Time after which the archive connector starts a new object."
  type        = number
  default     = 300000
}

variable "archive_retention_days" {
  description = "Archived error messages (and their previous versions) are deleted after this many days."
  type        = number
  default     = 90

  validation {
    condition     = var.archive_retention_days >= 1
    error_message = "archive_retention_days must be >= 1."
  }
}

variable "log_retention_days" {
  description = "Retention of the gateway and function logs (30-day steps, 30-180)."
  type        = number
  default     = 30

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180], var.log_retention_days)
    error_message = "log_retention_days must be 30, 60, 90, 120, 150 or 180."
  }
}

variable "freeform_tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default = {
    project = "oci-streaming-data-sync"
  }
}

# ---------------------------------------------------------------------------------------------
# Bulk ingest (ingest.tf)
# ---------------------------------------------------------------------------------------------
variable "ingest_object_name_pattern" {
  description = "Which objects of datasync-ingest are files to ingest, in OCI Events condition syntax (* matches any characters, / included). It must start with incoming/: the next segment names the source. Written into the Events rule and the functions' ingest_object_name_pattern."
  type        = string
  default     = "incoming/*"

  validation {
    condition     = startswith(var.ingest_object_name_pattern, "incoming/") && length(var.ingest_object_name_pattern) <= 1024
    error_message = "ingest_object_name_pattern must start with incoming/ and be at most 1024 characters."
  }
}

variable "ingest_uploader_groups" {
  description = "Source id (a key of sources) => the IAM group of that source's uploader, which may write incoming/<source id>/ of datasync-ingest and read results/<source id>/ only (an identity-domain group as '<domain>'/'<group>'). Empty: no uploader policy."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for id in keys(var.ingest_uploader_groups) : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", id))])
    error_message = "ingest_uploader_groups keys must be source ids (^[a-z0-9][a-z0-9-]{0,31}$)."
  }

  validation {
    condition     = alltrue([for g in values(var.ingest_uploader_groups) : length(trimspace(g)) > 0 && !can(regex("[{}]", g))])
    error_message = "ingest_uploader_groups values must be IAM group names."
  }
}

variable "ingest_retention_days" {
  description = "Days ingested files (processed/) and their result objects (results/) are kept in datasync-ingest."
  type        = number
  default     = 30

  validation {
    condition     = var.ingest_retention_days >= 1 && floor(var.ingest_retention_days) == var.ingest_retention_days
    error_message = "ingest_retention_days must be a whole number of days >= 1."
  }
}
