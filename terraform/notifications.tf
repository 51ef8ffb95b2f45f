# Notifications topic (+ optional e-mail subscription) and the private archive bucket the error
# connectors write to: versioned, never public, objects expire after var.archive_retention_days.

resource "oci_ons_notification_topic" "errors" {
  compartment_id = var.compartment_ocid
  name           = "datasync-error-notifications"
  description    = "Messages routed to a data-sync error stream"
  freeform_tags  = var.freeform_tags
}

resource "oci_ons_subscription" "email" {
  count = var.notification_email == null ? 0 : 1

  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.errors.id
  protocol       = "EMAIL"
  endpoint       = var.notification_email
  freeform_tags  = var.freeform_tags
}

data "oci_objectstorage_namespace" "tenancy" {
  compartment_id = var.tenancy_ocid
}

resource "oci_objectstorage_bucket" "archive" {
  compartment_id = var.compartment_ocid
  namespace      = data.oci_objectstorage_namespace.tenancy.namespace
  name           = "datasync-error-archive"
  access_type    = "NoPublicAccess"
  storage_tier   = "Standard"
  versioning     = "Enabled"
  freeform_tags  = var.freeform_tags
}

resource "oci_objectstorage_object_lifecycle_policy" "archive" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.archive.name

  rules {
    name        = "expire-archived-errors"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = var.archive_retention_days
    time_unit   = "DAYS"
  }

  rules {
    name        = "expire-previous-versions"
    action      = "DELETE"
    is_enabled  = true
    target      = "previous-object-versions"
    time_amount = var.archive_retention_days
    time_unit   = "DAYS"
  }

  # Object Storage applies lifecycle rules as a service principal that needs its own grant.
  depends_on = [oci_identity_policy.object_lifecycle]
}
