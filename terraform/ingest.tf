# Bulk ingest: a source uploads a JSON Lines file of sync requests to datasync-ingest under incoming/<source id>/;
# the bucket's object event matches the Events rule DataSyncIngestObjects, which invokes bulk-ingest-fn. The rule's
# condition is func-configs/ingest-events-condition.json.tftpl, the template the local stack applies too: the event
# types (create and update: which one OCI emits for an overwrite is not documented), the bucket and its namespace,
# and the object names (var.ingest_object_name_pattern for uploads, continue/* for the function's own continuation
# markers). The function, its IAM (iam.tf, local.function_grants.ingest) and its result objects: docs/deploy.md.

resource "oci_objectstorage_bucket" "ingest" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.tenancy.namespace
  name                  = "datasync-ingest"
  access_type           = "NoPublicAccess"
  storage_tier          = "Standard"
  versioning            = "Disabled"
  object_events_enabled = true
  freeform_tags         = var.freeform_tags
}

locals {
  ingest_rule_condition = jsonencode(jsondecode(templatefile("${path.module}/../func-configs/ingest-events-condition.json.tftpl", {
    bucket_name         = oci_objectstorage_bucket.ingest.name
    namespace           = data.oci_objectstorage_namespace.tenancy.namespace
    object_name_pattern = var.ingest_object_name_pattern
  })))
}

resource "oci_events_rule" "ingest" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  display_name   = "DataSyncIngestObjects"
  description    = "Uploads to datasync-ingest (incoming/<source id>/...) and bulk-ingest-fn's continuation markers invoke bulk-ingest-fn"
  is_enabled     = true
  condition      = local.ingest_rule_condition
  freeform_tags  = var.freeform_tags

  actions {
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = local.ingest_function_id
      description = "bulk-ingest-fn reads the file"
    }
  }
}

# Events delivers to the function as the service cloudEvents (without this the rule matches and the invocation is
# denied, visible only in the rule's metrics).
resource "oci_identity_policy" "events_invoke" {
  count = var.functions_deployed ? 1 : 0

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncEventsInvoke"
  description    = "OCI Events may invoke the data-sync functions (the rule DataSyncIngestObjects calls bulk-ingest-fn)"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}",
  ]
}

# Each source's uploader (an IAM group per source, var.ingest_uploader_groups) may write its own prefix
# incoming/<source id>/ and read its own results/<source id>/; nothing else of the bucket, not even its listing:
# the prefix is what names a file's source, so no source can upload as another.
resource "oci_identity_policy" "ingest_uploaders" {
  count = length(var.ingest_uploader_groups) > 0 ? 1 : 0

  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncIngestUploaders"
  description    = "Each source's uploader writes incoming/<its source id>/ of datasync-ingest and reads its results/<its source id>/"
  freeform_tags  = var.freeform_tags

  statements = concat(
    [for id, group in var.ingest_uploader_groups : "Allow group ${group} to manage objects in compartment id ${var.compartment_ocid} where all {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', target.object.name=/incoming/${id}/*/, any {request.permission='OBJECT_CREATE', request.permission='OBJECT_OVERWRITE', request.permission='OBJECT_INSPECT'}}"],
    [for id, group in var.ingest_uploader_groups : "Allow group ${group} to read objects in compartment id ${var.compartment_ocid} where all {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', target.object.name=/results/${id}/*/}"],
  )

  lifecycle {
    precondition {
      condition     = alltrue([for id in keys(var.ingest_uploader_groups) : contains(keys(var.sources), id)])
      error_message = "Every key of ingest_uploader_groups must be a source id of sources: a prefix of no registered source ingests nothing."
    }
  }
}

# Ingested files and their results are kept var.ingest_retention_days, then deleted by Object Storage itself.
resource "oci_objectstorage_object_lifecycle_policy" "ingest" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.ingest.name

  rules {
    name        = "expire-processed-and-results"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = var.ingest_retention_days
    time_unit   = "DAYS"
    object_name_filter {
      inclusion_prefixes = ["processed/", "results/"]
    }
  }

  depends_on = [oci_identity_policy.ingest_lifecycle]
}

resource "oci_identity_policy" "ingest_lifecycle" {
  provider       = oci.home
  compartment_id = local.policy_compartment_ocid
  name           = "DataSyncIngestLifecycle"
  description    = "Object Storage may expire ingested files and their results in datasync-ingest"
  freeform_tags  = var.freeform_tags

  statements = [
    "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_ocid} where target.bucket.name='datasync-ingest'",
  ]
}
