# The state bucket datasync-state: small objects the functions read, never the public. Today it holds the source
# registry (sources.tf, sources/<id>.json); the functions find it through the state_bucket and
# object_storage_namespace configuration keys. Objects are rewritten whole by Terraform, so no versions are kept.

resource "oci_objectstorage_bucket" "state" {
  compartment_id = var.compartment_ocid
  namespace      = data.oci_objectstorage_namespace.tenancy.namespace
  name           = "datasync-state"
  access_type    = "NoPublicAccess"
  storage_tier   = "Standard"
  versioning     = "Disabled"
  freeform_tags  = var.freeform_tags
}
