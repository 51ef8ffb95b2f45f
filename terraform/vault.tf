# Vault and the master key that encrypts the callers' token secrets. The functions receive the KEY's
# OCID (oci_kms_key.master.id): CreateSecret needs the master key, not a key version.

resource "oci_kms_vault" "datasync" {
  compartment_id = local.vault_compartment_ocid
  display_name   = "DataSyncVault"
  vault_type     = var.vault_type
  freeform_tags  = var.freeform_tags
}

resource "oci_kms_key" "master" {
  compartment_id      = local.vault_compartment_ocid
  display_name        = "DataSyncMasterKey"
  management_endpoint = oci_kms_vault.datasync.management_endpoint
  protection_mode     = var.key_protection_mode
  freeform_tags       = var.freeform_tags

  # Secrets can only be encrypted with a symmetric AES key.
  key_shape {
    algorithm = "AES"
    length    = 32
  }
}
