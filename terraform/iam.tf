# IAM, least privilege. Every statement names the compartment and, where the service's policy reference
# documents a variable for it, the exact resource (stream, vault, key, bucket). Notifications and Functions
# document only the general variables, so topic and function grants are scoped by compartment and by the
# calling principal instead (a variable a service does not supply makes a statement silently never match;
# deploy-tests' IamPolicyVariablesTest keeps every variable to the documented ones). Nothing here is added
# by hand: docs/deploy.md explains each statement and cites its sources.
#
# Dynamic groups and the functions' grants match the function OCIDs, so they are created once
# `fn deploy` has created the functions (var.functions_deployed = true); the API route and the
# DataSyncStream connector that could invoke them appear in the same apply.

locals {
  sch_principal      = "request.principal.type='serviceconnector', request.principal.compartment.id='${var.compartment_ocid}'"
  schedule_principal = "request.principal.type='resourceschedule', request.principal.id='${oci_resource_scheduler_schedule.redrive[0].id}'"

  # What a function may write in datasync-state: PutObject and DeleteObject (the conditional create, replace and
  # delete of its state objects) under its own prefixes, never sources/ (the registry only Terraform writes). Object
  # Storage documents target.object.name for objects; the pattern (/prefix*/, no slash inside) is IAM's wildcard
  # match. Reads (GetObject, HeadObject, ListObjects) are the bucket-wide `read objects`.
  state_write_populate = "all {target.bucket.name='${oci_objectstorage_bucket.state.name}', target.object.name=/idempotency*/, any {request.operation='PutObject', request.operation='DeleteObject'}}"
  state_write_read     = "all {target.bucket.name='${oci_objectstorage_bucket.state.name}', target.object.name=/held*/, any {request.operation='PutObject', request.operation='DeleteObject'}}"
  state_write_retry    = "all {target.bucket.name='${oci_objectstorage_bucket.state.name}', any {target.object.name=/held*/, target.object.name=/replay*/, target.object.name=/redrive*/}, any {request.operation='PutObject', request.operation='DeleteObject'}}"
  state_write_ingest   = "all {target.bucket.name='${oci_objectstorage_bucket.state.name}', target.object.name=/ingest*/, any {request.operation='PutObject', request.operation='DeleteObject'}}"
}

# --- Service Connector Hub: read the streams, publish to the topic, write the archive ------------
resource "oci_identity_policy" "service_connectors" {
  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncServiceConnectors"
  description    = "Data-sync connectors: read DataSyncStream, the error streams and DeadLetterStream, write the error archive (and notify the error topic if raw messages are on)"
  freeform_tags  = var.freeform_tags

  statements = concat(
    ["Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${local.stream_compartment_ocid} where all {${local.sch_principal}, target.stream.id='${oci_streaming_stream.data.id}'}"],
    [for s in local.failure_streams : "Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${local.stream_compartment_ocid} where all {${local.sch_principal}, target.stream.id='${s.id}'}"],
    # Only the raw-message connectors publish to the topic (the digest alarms need no grant of their own).
    # Notifications supports only the general policy variables (no target.topic.id): the grant is the
    # compartment's topics, for connectors of this compartment.
    var.error_topic_raw_messages ? ["Allow any-user to use ons-topics in compartment id ${var.compartment_ocid} where all {${local.sch_principal}}"] : [],
    ["Allow any-user to manage objects in compartment id ${var.compartment_ocid} where all {${local.sch_principal}, target.bucket.name='${oci_objectstorage_bucket.archive.name}'}"],
  )
}

resource "oci_identity_policy" "read_connector" {
  count = var.functions_deployed ? 1 : 0

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncReadConnectorInvoke"
  description    = "Connectors of the data-sync compartment may invoke its functions (the DataSyncStream connector calls read-data-stream-fn)"
  freeform_tags  = var.freeform_tags

  # OCI Functions documents only the general policy variables (no target.function.id), so the documented
  # Connector Hub form is used: connectors of this compartment may invoke functions of this compartment.
  # Which function a connector calls is fixed by the connector itself (oci_sch_service_connector.read_data_stream).
  statements = [
    "Allow any-user to use fn-function in compartment id ${var.compartment_ocid} where all {${local.sch_principal}}",
    "Allow any-user to use fn-invocation in compartment id ${var.compartment_ocid} where all {${local.sch_principal}}",
  ]
}

# --- API Gateway: invoke the functions of this compartment ----------------------------------------
resource "oci_identity_policy" "api_gateway" {
  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncApiGatewayInvoke"
  description    = "API gateways of the data-sync compartment may invoke its functions"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow any-user to use functions-family in compartment id ${var.compartment_ocid} where all {request.principal.type='ApiGateway', request.resource.compartment.id='${var.compartment_ocid}'}",
  ]
}

# --- OCI Functions platform: attach to the subnet, pull the images -----------------------------------
resource "oci_identity_policy" "functions_platform" {
  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncFunctionsPlatform"
  description    = "OCI Functions may use the data-sync subnet and pull the data-sync images"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow service faas to use virtual-network-family in compartment id ${var.compartment_ocid}",
    "Allow service faas to read repos in compartment id ${var.compartment_ocid}",
  ]
}

# --- Object Storage lifecycle rules run as the regional Object Storage service -----------------
# The archive's rules expire archived errors; the state bucket's rule removes idempotency keys past their own expiry.
resource "oci_identity_policy" "object_lifecycle" {
  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncArchiveLifecycle"
  description    = "Object Storage may expire objects of the error archive and the idempotency keys of the state bucket"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_ocid} where target.bucket.name='datasync-error-archive'",
    "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_ocid} where target.bucket.name='datasync-state'",
  ]
}

# --- The hourly redrive schedule (redrive.tf) invokes retry-fn ---------------------------------------
# The form of the Resource Scheduler's example policies: any-user narrowed to this one schedule. Functions documents
# no per-function variable, so the grant is the compartment's functions; which function runs is fixed by the
# schedule itself. Notifications needs no grant of its own: a function subscription is authorised by the
# FN_INVOCATION right of whoever creates it (Terraform's user), see docs/deploy.md.
resource "oci_identity_policy" "redrive_schedule" {
  count = var.functions_deployed ? 1 : 0

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncRedriveScheduleInvoke"
  description    = "The hourly redrive schedule DataSyncRedriveHourly may invoke retry-fn"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow any-user to use fn-function in compartment id ${var.compartment_ocid} where all {${local.schedule_principal}}",
    "Allow any-user to use fn-invocation in compartment id ${var.compartment_ocid} where all {${local.schedule_principal}}",
  ]
}

# --- The functions themselves (resource principals) -----------------------------------------------
# One entry per function, and from each entry a dynamic group (matching exactly that function's OCID) and a
# policy of the same name. `grants` are the policy statements without their head "Allow dynamic-group <group>
# to ": the policy adds it with the dynamic group's name, taken from the group resource so the policy is
# written after its group exists.
locals {
  # All four read the source registry, sources/<id>.json in the state bucket (`read objects` of that bucket only,
  # never a write): populate to check a request against its source's allow-list and secret cap, read and retry
  # because they deliver that source's messages. Without the grant a read answers 404, which is indistinguishable
  # from "no entry" (the defaults): a missing grant would silently widen a source's targets to the global list.
  function_grants = {
    populate = {
      name               = "DataSyncPopulateFunction"
      function_name      = local.populate_function_name
      function_id        = local.populate_function_id
      policy_description = "populate-data-stream-fn: write DataSyncStream, keep the callers' token secrets in DataSyncVault, read the source registry, keep idempotency keys, post its metrics"
      grants = [
        "use stream-push in compartment id ${local.stream_compartment_ocid} where target.stream.id='${oci_streaming_stream.data.id}'",
        "read objects in compartment id ${var.compartment_ocid} where target.bucket.name='${oci_objectstorage_bucket.state.name}'",
        "manage objects in compartment id ${var.compartment_ocid} where ${local.state_write_populate}",
        # TokenVault calls ListSecrets + GetSecret (metadata: a salted hash of the token) and CreateSecret; the secret
        # lifecycle (SecretUseRecorder, SecretSweeper) updates only the metadata (last use, no new version) and schedules
        # or cancels the deletion of this service's unused secrets. Never a secret bundle (content) read.
        "read secrets in compartment id ${local.vault_compartment_ocid} where target.vault.id='${oci_kms_vault.datasync.id}'",
        "manage secrets in compartment id ${local.vault_compartment_ocid} where all {target.vault.id='${oci_kms_vault.datasync.id}', any {request.operation='CreateSecret', request.operation='UpdateSecret', request.operation='ScheduleSecretDeletion', request.operation='CancelSecretDeletion'}}",
        "use vaults in compartment id ${local.vault_compartment_ocid} where target.vault.id='${oci_kms_vault.datasync.id}'",
        "use keys in compartment id ${local.vault_compartment_ocid} where target.key.id='${oci_kms_key.master.id}'",
        "use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace='${local.metrics_namespace}'",
      ]
    }
    read = {
      name               = "DataSyncReadFunction"
      function_name      = local.read_function_name
      function_id        = local.read_function_id
      policy_description = "read-data-stream-fn: read token secrets of DataSyncVault, write the error streams and DeadLetterStream, read the source registry, keep held keys, post its metrics"
      grants = concat(
        ["read secret-bundles in compartment id ${local.vault_compartment_ocid} where target.vault.id='${oci_kms_vault.datasync.id}'"],
        ["read objects in compartment id ${var.compartment_ocid} where target.bucket.name='${oci_objectstorage_bucket.state.name}'"],
        ["manage objects in compartment id ${var.compartment_ocid} where ${local.state_write_read}"],
        [for s in local.failure_streams : "use stream-push in compartment id ${local.stream_compartment_ocid} where target.stream.id='${s.id}'"],
        ["use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace='${local.metrics_namespace}'"],
      )
    }
    # bulk-ingest-fn reads what sources upload under incoming/ and its own continuation markers (continue/), writes
    # results/ and its markers, moves a finished file from incoming/ to processed/ (RenameObject), keeps each file's
    # progress under ingest/ in the state bucket (conditional writes), writes DataSyncStream, and looks up the token
    # secrets a line names (recording the use as populate does, never a secret's content and never a new secret).
    # Which object name a RenameObject is judged by (the old one, the new one, both) is not documented: both
    # prefixes are named.
    ingest = {
      name               = "DataSyncBulkIngestFunction"
      function_name      = local.ingest_function_name
      function_id        = local.ingest_function_id
      policy_description = "bulk-ingest-fn: read uploads in datasync-ingest, write their results, move them to processed/, keep its progress in datasync-state, write DataSyncStream, find the sources' token secrets, post its metrics"
      grants = [
        "use stream-push in compartment id ${local.stream_compartment_ocid} where target.stream.id='${oci_streaming_stream.data.id}'",
        "read objects in compartment id ${var.compartment_ocid} where all {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', any {target.object.name=/incoming*/, target.object.name=/continue*/}}",
        "manage objects in compartment id ${var.compartment_ocid} where all {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', any {target.object.name=/results*/, target.object.name=/continue*/}, any {request.operation='PutObject', request.operation='DeleteObject'}}",
        "manage objects in compartment id ${var.compartment_ocid} where all {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', any {target.object.name=/incoming*/, target.object.name=/processed*/}, request.operation='RenameObject'}",
        "read objects in compartment id ${var.compartment_ocid} where target.bucket.name='${oci_objectstorage_bucket.state.name}'",
        "manage objects in compartment id ${var.compartment_ocid} where ${local.state_write_ingest}",
        "read secrets in compartment id ${local.vault_compartment_ocid} where target.vault.id='${oci_kms_vault.datasync.id}'",
        "manage secrets in compartment id ${local.vault_compartment_ocid} where all {target.vault.id='${oci_kms_vault.datasync.id}', any {request.operation='UpdateSecret', request.operation='CancelSecretDeletion'}}",
        "use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace='${local.metrics_namespace}'",
      ]
    }
    retry = {
      name               = "DataSyncRetryFunction"
      function_name      = local.retry_function_name
      function_id        = local.retry_function_id
      policy_description = "retry-fn: replay and redrive the error streams (consumer groups), write DeadLetterStream, read token secrets of DataSyncVault, read the source registry, keep held keys and replay state, post its metrics"
      grants = concat(
        ["read secret-bundles in compartment id ${local.vault_compartment_ocid} where target.vault.id='${oci_kms_vault.datasync.id}'"],
        ["read objects in compartment id ${var.compartment_ocid} where target.bucket.name='${oci_objectstorage_bucket.state.name}'"],
        ["manage objects in compartment id ${var.compartment_ocid} where ${local.state_write_retry}"],
        # stream-pull covers the cursors and consumer groups the redrive pass reads through (CreateGroupCursor,
        # GetMessages, ConsumerCommit, ConsumerHeartbeat); DeadLetterStream is only written
        [for s in oci_streaming_stream.error : "use stream-pull in compartment id ${local.stream_compartment_ocid} where target.stream.id='${s.id}'"],
        [for s in local.failure_streams : "use stream-push in compartment id ${local.stream_compartment_ocid} where target.stream.id='${s.id}'"],
        ["use metrics in compartment id ${var.compartment_ocid} where target.metrics.namespace='${local.metrics_namespace}'"],
      )
    }
  }
}

resource "oci_identity_dynamic_group" "function" {
  for_each = var.functions_deployed ? local.function_grants : {}

  provider       = oci.home
  compartment_id = var.tenancy_ocid
  name           = each.value.name
  description    = "${each.value.function_name} of ${local.application_name}"
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.id = '${each.value.function_id}'}"
  freeform_tags  = var.freeform_tags
}

resource "oci_identity_policy" "function" {
  for_each = var.functions_deployed ? local.function_grants : {}

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = each.value.name
  description    = each.value.policy_description
  freeform_tags  = var.freeform_tags

  statements = [for grant in each.value.grants : "Allow dynamic-group ${oci_identity_dynamic_group.function[each.key].name} to ${grant}"]
}

# These were one hand-written resource per function (count = 1 once functions_deployed); existing deployments
# keep their dynamic groups and policies.
moved {
  from = oci_identity_dynamic_group.populate[0]
  to   = oci_identity_dynamic_group.function["populate"]
}

moved {
  from = oci_identity_dynamic_group.read[0]
  to   = oci_identity_dynamic_group.function["read"]
}

moved {
  from = oci_identity_dynamic_group.retry[0]
  to   = oci_identity_dynamic_group.function["retry"]
}

moved {
  from = oci_identity_policy.populate_function[0]
  to   = oci_identity_policy.function["populate"]
}

moved {
  from = oci_identity_policy.read_function[0]
  to   = oci_identity_policy.function["read"]
}

moved {
  from = oci_identity_policy.retry_function[0]
  to   = oci_identity_policy.function["retry"]
}

# --- Optional: a non-administrator group that runs `fn deploy` ------------------------------------
resource "oci_identity_policy" "deployers" {
  count = var.deployer_group_name == null ? 0 : 1

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncDeployers"
  description    = "Members of ${var.deployer_group_name} may deploy the data-sync functions"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow group ${var.deployer_group_name} to manage functions-family in compartment id ${var.compartment_ocid}",
    "Allow group ${var.deployer_group_name} to manage repos in compartment id ${var.compartment_ocid}",
    "Allow group ${var.deployer_group_name} to use virtual-network-family in compartment id ${var.compartment_ocid}",
    "Allow group ${var.deployer_group_name} to read objectstorage-namespaces in tenancy",
  ]
}
