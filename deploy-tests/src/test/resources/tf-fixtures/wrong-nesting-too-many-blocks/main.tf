variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

resource "oci_kms_key" "k" {
  compartment_id      = var.compartment_ocid
  display_name        = "K"
  management_endpoint = "https://example.invalid"
  key_shape {
    algorithm = "AES"
    length    = 32
  }
  key_shape {
    algorithm = "AES"
    length    = 16
  }
}
