# The state bucket datasync-state: small objects, never public. The source registry (sources.tf, sources/<id>.json)
# and the sources' rules (sources.tf, rules/<id>.json), which only Terraform writes (the functions only read them),
# and the functions' own state, each under its prefix: idempotency keys (idempotency/), held keys (held/), replay
# leases and marks (replay/), redrive state (redrive/); the functions write them with
# If-Match / If-None-Match (iam.tf grants each function its prefixes only). They find the bucket through the
# state_bucket and object_storage_namespace configuration keys. Objects are rewritten whole, so no versions are kept.

resource "oci_objectstorage_bucket" "state" {
  compartment_id = var.compartment_ocid
  namespace      = data.oci_objectstorage_namespace.tenancy.namespace
  name           = "datasync-state"
  access_type    = "NoPublicAccess"
  storage_tier   = "Standard"
  versioning     = "Disabled"
  freeform_tags  = var.freeform_tags
}

# Idempotency keys (idempotency/...) carry their own expiry, which the functions check: a lifecycle rule counts whole
# days from an object's last write (midnight UTC boundaries), so it only clears away keys long past their 24 h.
resource "oci_objectstorage_object_lifecycle_policy" "state" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.state.name

  rules {
    name        = "expire-idempotency-keys"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = local.idempotency_key_retention_days
    time_unit   = "DAYS"
    object_name_filter {
      inclusion_prefixes = ["idempotency/"]
    }
  }

  # Object Storage applies lifecycle rules as a service principal that needs its own grant.
  depends_on = [oci_identity_policy.object_lifecycle]
}
